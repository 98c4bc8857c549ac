// Cruscotto: the clerk's home. The status counters arrive with the local store; until then it shows who
// and where this installation is.
import { infoList } from './common.js';

export function render({ state }) {
  const section = document.createElement('div');
  section.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="dashboard.title"></h1>
    <p class="lead" data-i18n="dashboard.intro"></p>`;
  if (state.info) section.append(infoList(state.info));
  return section;
}
