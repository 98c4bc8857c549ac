// Small DOM helpers shared by views. Text always goes through textContent (never innerHTML) when it comes
// from data, so a document title or a name can never inject markup.

/** The "Informazioni" card: version and data folder, as returned by Rust. */
export function infoList(info) {
  const card = document.createElement('section');
  card.className = 'card-wrapper card-space mt-4';
  card.innerHTML = `
    <div class="card card-bg"><div class="card-body">
      <h2 class="h5 card-title" data-i18n="info.title"></h2>
      <dl class="info-list mb-0">
        <dt data-i18n="info.version"></dt><dd data-testid="app-version"></dd>
        <dt data-i18n="info.data_dir"></dt><dd data-testid="app-data-dir"></dd>
        <dt data-i18n="info.service"></dt><dd data-testid="service-url"></dd>
      </dl>
    </div></div>`;
  card.querySelector('[data-testid="app-version"]').textContent = info.version;
  card.querySelector('[data-testid="app-data-dir"]').textContent = info.data_dir;
  card.querySelector('[data-testid="service-url"]').textContent = info.service.base_url;
  return card;
}
