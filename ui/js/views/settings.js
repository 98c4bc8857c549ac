// Impostazioni: language for now; profiles, archive folder and notifications join as their issues land.
import { LANGUAGES } from '../i18n.js';
import { infoList } from './common.js';

export function render({ state, onError }) {
  const section = document.createElement('div');
  section.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="settings.title"></h1>
    <form class="mt-4" data-testid="language-form">
      <div class="select-wrapper">
        <label for="language-select" data-i18n="settings.language"></label>
        <select id="language-select" data-testid="language-select"></select>
      </div>
    </form>`;
  const select = section.querySelector('select');
  for (const lang of LANGUAGES) {
    const option = document.createElement('option');
    option.value = lang;
    option.dataset.i18n = `languages.${lang}`;
    option.selected = state.info?.locale === lang;
    select.append(option);
  }
  select.addEventListener('change', () => state.changeLanguage(select.value).catch(onError));
  if (state.info) section.append(infoList(state.info));
  return section;
}
