// Package screens holds the clerk's screens, one file each. A screen never
// talks HTTP or opens a bbolt transaction: it calls the sale engine from a
// tea.Cmd and reacts to the message that comes back.
package screens

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/catalog"
	"kiosk/gcwindow"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/shelf"
	"kiosk/termtext"
	"kiosk/ui"
)

type catalogKeys struct {
	Up, Down, PageUp, PageDown, Choose, Refresh, Clear, Recovery, Brands, History, Favourite, EndOfDay key.Binding
	Repeat, Reprint                                                                                    key.Binding
}

func (k catalogKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Choose, k.Brands, k.Refresh, k.Recovery}
}

func (k catalogKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Choose, k.Brands, k.Clear, k.Refresh, k.Repeat},
		{k.Recovery, k.History, k.Favourite, k.EndOfDay, k.Reprint}}
}

func newCatalogKeys(c *ui.Common) catalogKeys {
	km := c.KeyMap()
	// The list also moves with ctrl+p/ctrl+n, as shells and editors do.
	km.Up.SetKeys("up", "ctrl+p")
	km.Down.SetKeys("down", "ctrl+n")
	return catalogKeys{
		Up:       km.Up,
		Down:     km.Down,
		PageUp:   km.PageUp,
		PageDown: km.PageDown,
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.sell"))),
		Refresh:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("key.refresh"))),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.clear_search"))),
		Recovery: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", c.T("key.open_sales"))),
		Brands:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", c.T("key.brands"))),
		History:  key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", c.T("key.history"))),
		EndOfDay: key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", c.T("key.end_of_day"))),
		Favourite: key.NewBinding(key.WithKeys("alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+7", "alt+8", "alt+9"),
			key.WithHelp("alt+1…9", c.T("key.favourite"))),
		Repeat:  km.Repeat,
		Reprint: km.Reprint,
	}
}

// Catalog is the first screen: search and pick a product.
type Catalog struct {
	c       *ui.Common
	keys    catalogKeys
	filter  textinput.Model
	index   *catalog.Index
	hits    []int32
	cursor  int
	offset  int
	loading map[string]bool
	fetched map[string]time.Time
	gen     int // the lists built: a view built for an older one is dropped
	// refreshed names the providers refreshed since the list was last
	// built, with their counts ("Bitaqaty 20043").
	refreshed []string
	err       string

	// favourites are the hot-key products, alt+1 first (nil entries unused).
	favourites []*providers.Product
	bestKeys   []string // best sellers, when no favourites are configured

	// Brand mode lists networks and brands (Yemen Mobile, PUBG, iTunes…)
	// so the clerk can start from the network instead of a product.
	brandMode bool
	brands    []brandRow
	brandHits []int
}

// brandRow is one network or brand with what sells it.
type brandRow struct {
	name, nameAr string
	count        int
	providers    []string
}

// Messages of the catalogue screen.
type (
	catalogCachedMsg struct {
		cats sale.Catalogs
		view catalogView
		err  error
	}
	// viewBuiltMsg is a catalogue view built after a refresh; gen says
	// which, so that only the newest is shown, and status is said when it is.
	viewBuiltMsg struct {
		to     *Catalog
		gen    int
		view   catalogView // none when the catalogues could not be read
		status string
		failed bool // status is an error
	}
	bestSellersMsg    struct{ keys []string }
	catalogFetchedMsg struct {
		provider string
		products []providers.Product
		err      error
	}
)

// NewCatalog builds the catalogue screen.
func NewCatalog(c *ui.Common) *Catalog {
	ti := ui.NewInput(c.Styles())
	ti.Prompt = c.T("catalog.search_prompt")
	ti.Placeholder = c.T("catalog.search_placeholder")
	ti.CharLimit = 60
	ti.SetWidth(60)
	ti.Focus()
	return &Catalog{c: c, keys: newCatalogKeys(c), filter: ti, loading: map[string]bool{},
		fetched: map[string]time.Time{}}
}

// Title names the screen.
func (m *Catalog) Title() string { return m.c.T("catalog.title") }

// Keys lists the bindings.
func (m *Catalog) Keys() help.KeyMap { return m.keys }

// Init reads the cached catalogues (no network) so the first frame is fast.
func (m *Catalog) Init() tea.Cmd {
	e, maxAge := m.c.Sales(), m.c.Settings().CatalogMaxAge
	return func() tea.Msg {
		cats, err := e.CachedCatalogs(maxAge)
		return cachedMsg(e.ProviderInfos(), cats, err)
	}
}

// Loaded applies cached catalogues directly (the start-up benchmark and
// tests use it to skip the command round trip).
func (m *Catalog) Loaded(cats sale.Catalogs) tea.Cmd {
	return m.Update(cachedMsg(m.c.Sales().ProviderInfos(), cats, nil))
}

// catalogView is what the screen searches and browses: every provider's
// products in catalogue order, their index and their brand rows. It is
// built in a command, off the event loop: at 50,000 products the index
// alone takes about 70 ms, and keys typed meanwhile would wait.
type catalogView struct {
	index  *catalog.Index
	brands []brandRow
}

// buildView indexes every provider's products, in catalogue order (as
// sale.Catalogs has them; a table out of order, or with products of a
// provider not configured, is put in order without them first).
func buildView(infos []providers.Info, all *shelf.Table) catalogView {
	names := make(map[string]string, len(infos))
	ids := make([]string, len(infos))
	for i, info := range infos {
		names[info.ID], ids[i] = info.Name, info.ID
	}
	if !all.Sorted() || !onlyOf(all, names) {
		all = all.Replaced(ids, "", nil)
	}
	return catalogView{index: catalog.New(all, names), brands: brandRows(all, names)}
}

// onlyOf reports whether every product is of a provider in names.
func onlyOf(t *shelf.Table, names map[string]string) bool {
	last := ""
	for i := range t.Len() {
		if p := t.Provider(i); p != last {
			if _, ok := names[p]; !ok {
				return false
			}
			last = p
		}
	}
	return true
}

// cachedMsg is the cached catalogues with their view built, and the memory
// that took handed back (start-up).
func cachedMsg(infos []providers.Info, cats sale.Catalogs, err error) catalogCachedMsg {
	v := buildView(infos, cats.Products)
	returnFreed(cats.Products.Len())
	return catalogCachedMsg{cats: cats, view: v, err: err}
}

func (m *Catalog) refresh(ids ...string) tea.Cmd {
	var cmds []tea.Cmd
	for _, id := range ids {
		if m.loading[id] {
			continue
		}
		m.loading[id] = true
		e, ctx, id := m.c.Sales(), m.c.Context(), id
		cmds = append(cmds, func() tea.Msg {
			ps, err := e.RefreshCatalog(ctx, id)
			return catalogFetchedMsg{provider: id, products: ps, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// Update handles keys and catalogue loads.
func (m *Catalog) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case catalogCachedMsg:
		m.fetched = msg.cats.Fetched
		if msg.err != nil {
			m.err = msg.err.Error()
		}
		m.show(msg.view)
		return tea.Batch(m.refresh(msg.cats.Stale...), m.loadBestSellers())
	case viewBuiltMsg:
		if msg.to != m || msg.gen != m.gen {
			return nil
		}
		if msg.view.index == nil {
			return ui.Status(msg.status, msg.failed)
		}
		m.show(msg.view)
		// The old list is garbage now, with what building the new one
		// left: at 500,000 products, 420 MB of RSS that the runtime kept.
		n := m.index.Len()
		return tea.Batch(ui.Status(msg.status, msg.failed), func() tea.Msg { returnFreed(n); return nil })
	case bestSellersMsg:
		m.bestKeys = msg.keys
		m.resolveFavourites()
		return nil
	case catalogFetchedMsg:
		delete(m.loading, msg.provider)
		if msg.err != nil {
			m.err = providers.ClerkMessage(msg.err)
			return tea.Batch(ui.Status(m.c.T("catalog.not_refreshed", m.err), true), m.rebuildWhenDone(""))
		}
		m.fetched[msg.provider] = m.c.Now()
		m.err = ""
		m.refreshed = append(m.refreshed, fmt.Sprintf("%s %d", ui.ShortName(providerName(m.c, msg.provider), 10), len(msg.products)))
		status := m.c.T("catalog.refreshed_from", ui.ShortName(providerName(m.c, msg.provider), 10), len(msg.products))
		if len(m.refreshed) > 1 {
			status = m.c.T("catalog.refreshed_many", strings.Join(m.refreshed, " · "))
		}
		return m.rebuildWhenDone(status)
	case ui.HomeMsg, ui.PopMsg:
		// Back on the catalogue, from a sale or by esc: the next sale
		// starts from the whole list, not the last one's search.
		m.brandMode = false
		m.filter.SetValue("")
		m.applyFilter()
		return nil
	case lastSaleMsg:
		if msg.to != m {
			return nil
		}
		return m.onLast(msg)
	case lastPrintedMsg:
		if msg.to != m {
			return nil
		}
		return printedOutcome(m.c, msg.sale, msg.shown, msg.err)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Catalog) key(msg tea.KeyPressMsg) tea.Cmd {
	page := max(m.listHeight()-1, 1)
	switch {
	case key.Matches(msg, m.keys.Favourite):
		n := int(msg.String()[len(msg.String())-1] - '1')
		if n < len(m.favourites) && m.favourites[n] != nil {
			p := m.favourites[n]
			if !p.Available {
				return ui.Status(m.c.T("catalog.not_available", displayName(m.c, p)), true)
			}
			return ui.Push(NextForProduct(m.c, *p))
		}
		return ui.Status(m.c.T("catalog.no_favourite", n+1), true)
	case key.Matches(msg, m.keys.Brands):
		m.brandMode = !m.brandMode
		m.filter.SetValue("")
		m.applyFilter()
	case key.Matches(msg, m.keys.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.Down):
		m.move(1)
	case key.Matches(msg, m.keys.PageUp):
		m.move(-page)
	case key.Matches(msg, m.keys.PageDown):
		m.move(page)
	case key.Matches(msg, m.keys.Refresh):
		return m.refresh(m.providerIDs()...)
	case key.Matches(msg, m.keys.Recovery):
		return ui.Push(NewRecovery(m.c))
	case key.Matches(msg, m.keys.History):
		return ui.Push(NewHistory(m.c))
	case key.Matches(msg, m.keys.EndOfDay):
		return OpenEndOfDay(m.c)
	case key.Matches(msg, m.keys.Repeat):
		return m.readLast(repeatLast)
	case key.Matches(msg, m.keys.Reprint):
		return m.readLast(reprintLast)
	case key.Matches(msg, m.keys.Clear):
		m.filter.SetValue("")
		m.applyFilter()
	case key.Matches(msg, m.keys.Choose):
		return m.choose()
	default:
		before := m.filter.Value()
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.applyFilter()
		}
		return cmd
	}
	return nil
}

func (m *Catalog) providerIDs() []string {
	var ids []string
	for _, info := range m.c.Sales().ProviderInfos() {
		ids = append(ids, info.ID)
	}
	return ids
}

func (m *Catalog) choose() tea.Cmd {
	if m.brandMode {
		if m.cursor < len(m.brandHits) {
			m.brandMode = false
			m.filter.SetValue(m.brands[m.brandHits[m.cursor]].name)
			m.filter.CursorEnd()
			m.applyFilter()
		}
		return nil
	}
	p := m.current()
	if p == nil {
		return nil
	}
	if !p.Available {
		return ui.Status(m.c.T("catalog.not_available", displayName(m.c, p)), true)
	}
	return ui.Push(NextForProduct(m.c, *p))
}

// displayName is the product's name in the clerk's language.
func displayName(c *ui.Common, p *providers.Product) string {
	if c.Arabic() && p.NameAr != "" {
		return c.Show(termtext.Line(p.NameAr))
	}
	return c.Show(termtext.Line(p.Name))
}

// NextForProduct opens the fields screen when the product needs input,
// otherwise the confirm screen.
func NextForProduct(c *ui.Common, p providers.Product) ui.Screen {
	if NeedsInput(p) {
		return NewFields(c, p)
	}
	return NewConfirm(c, p, nil, money.Zero)
}

// NeedsInput reports whether the clerk must type anything for p.
func NeedsInput(p providers.Product) bool {
	if p.PriceKind == providers.PriceRange || p.PriceKind == providers.PriceUnits {
		return true
	}
	for _, f := range p.Fields {
		if !f.Hidden {
			return true
		}
	}
	return false
}

func (m *Catalog) current() *providers.Product {
	if m.index == nil || m.cursor >= len(m.hits) {
		return nil
	}
	return m.index.Product(int(m.hits[m.cursor]))
}

func (m *Catalog) move(d int) {
	n := len(m.hits)
	if m.brandMode {
		n = len(m.brandHits)
	}
	m.cursor = min(max(m.cursor+d, 0), max(n-1, 0))
}

// rebuildWhenDone builds the new list once no refresh is still loading
// and one has been cached, and says status with it, so that what it says
// is on the screen when it is said. A refresh of every provider builds one
// list, not one per provider: at 500,000 products each build decodes and
// indexes the whole catalogue again (about 0.6 s and 0.5 GB of garbage).
//
// The refreshed catalogues are in the journal's cache: the list is read
// from there, as at start-up.
func (m *Catalog) rebuildWhenDone(status string) tea.Cmd {
	if len(m.loading) > 0 || len(m.refreshed) == 0 {
		return nil
	}
	if status == "" { // the last to finish failed; the others' news comes with the list
		status = m.c.T("catalog.refreshed_many", strings.Join(m.refreshed, " · "))
	}
	m.refreshed = nil
	m.gen++
	to, gen, e, maxAge, tr := m, m.gen, m.c.Sales(), m.c.Settings().CatalogMaxAge, m.c.T
	return func() tea.Msg {
		cats, err := e.CachedCatalogs(maxAge)
		if err != nil { // the list on screen stays: it is all the kiosk has
			return viewBuiltMsg{to: to, gen: gen, status: tr("catalog.not_refreshed", err.Error()), failed: true}
		}
		return viewBuiltMsg{to: to, gen: gen, view: buildView(e.ProviderInfos(), cats.Products), status: status}
	}
}

// show puts a built view on the screen.
func (m *Catalog) show(v catalogView) {
	m.index, m.brands = v.index, v.brands
	m.resolveFavourites()
	m.applyFilter()
}

// freeFrom is the catalogue size from which the start-up hands the memory
// that decoding and indexing freed back to the system.
const freeFrom = 10_000

// returnFreed collects and returns freed memory to the system once a large
// cached catalogue is indexed, before its first frame. Decoding the cache
// and building the index leave about as much garbage as they keep, and
// the heap grew to twice what is live; the runtime would give it back
// only minutes later. At 500,078 cached products (scripts/bench-startup.sh)
// it took the real binary's RSS at the first usable frame from 380 MB to
// 211 MB (2026-12-02); at 50,078 it once took 99 MB to 75 MB, for 17-22 ms.
func returnFreed(products int) {
	gcwindow.Close() // the start-up's load is over (cli opened it)
	if products >= freeFrom {
		debug.FreeOSMemory()
	}
}

// loadBestSellers reads the last 30 days' best sellers from the journal,
// offered as hot keys when none are configured.
func (m *Catalog) loadBestSellers() tea.Cmd {
	if m.c.Settings().Favourites != nil {
		return nil
	}
	e := m.c.Sales()
	return func() tea.Msg {
		keys, _ := e.TopProducts(9)
		return bestSellersMsg{keys}
	}
}

// resolveFavourites finds the hot-key products in the loaded catalogue.
func (m *Catalog) resolveFavourites() {
	keys := m.c.Settings().Favourites
	if keys == nil {
		keys = m.bestKeys
	}
	m.favourites = make([]*providers.Product, len(keys))
	if m.index == nil {
		return
	}
	// provider → product id → hot key: no product's key is built.
	at := map[string]map[string]int{}
	for i, k := range keys {
		if prov, id, ok := strings.Cut(k, "/"); ok {
			if at[prov] == nil {
				at[prov] = map[string]int{}
			}
			at[prov][id] = i
		}
	}
	if len(at) == 0 {
		return
	}
	t := m.index.Products()
	for i := range t.Len() {
		if k, ok := at[t.Provider(i)][t.ID(i)]; ok {
			m.favourites[k] = m.index.Product(i)
		}
	}
}

// favouritesLine lists the hot keys: "alt+1 iTunes 50 · alt+2 …".
func (m *Catalog) favouritesLine() string {
	var parts []string
	for i, p := range m.favourites {
		if p != nil {
			parts = append(parts, fmt.Sprintf("alt+%d %s", i+1, clip(displayName(m.c, p), 22)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	label := m.c.T("catalog.favourites")
	if m.c.Settings().Favourites == nil {
		label = m.c.T("catalog.best")
	}
	return m.c.Styles().Subtle.Render(label + strings.Join(parts, " · "))
}

// brandRows groups products by brand, in catalogue (brand) order. Each
// provider's short name is worked out once, not once a product.
func brandRows(ps *shelf.Table, names map[string]string) []brandRow {
	var rows []brandRow
	at := map[string]int{}
	short := make(map[string]string, len(names))
	last := -1 // the catalogue is sorted by brand: a brand comes in one run
	for i := range ps.Len() {
		brand := ps.Brand(i)
		if last < 0 || rows[last].name != brand {
			k, ok := at[brand]
			if !ok {
				k = len(rows)
				at[brand] = k
				rows = append(rows, brandRow{name: brand, nameAr: ps.BrandAr(i)})
			}
			last = k
		}
		r := &rows[last]
		r.count++
		provider := ps.Provider(i)
		name, ok := short[provider]
		if !ok {
			name = ui.ShortName(names[provider], 10)
			short[provider] = name
		}
		if !slices.Contains(r.providers, name) {
			r.providers = append(r.providers, name)
		}
	}
	lower := make([]string, len(rows))
	for i := range rows {
		lower[i] = strings.ToLower(rows[i].name)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return lower[order[a]] < lower[order[b]] })
	sorted := make([]brandRow, len(rows))
	for i, k := range order {
		sorted[i] = rows[k]
	}
	return sorted
}

func (m *Catalog) applyFilter() {
	if m.index == nil {
		return
	}
	m.cursor, m.offset = 0, 0
	if m.brandMode {
		q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
		m.brandHits = m.brandHits[:0]
		for i, b := range m.brands {
			if q == "" || strings.Contains(strings.ToLower(b.name), q) || strings.Contains(b.nameAr, q) {
				m.brandHits = append(m.brandHits, i)
			}
		}
		return
	}
	m.hits = m.index.Filter(m.filter.Value())
}

func (m *Catalog) listHeight() int { return max(m.c.Height()-3, 1) }
