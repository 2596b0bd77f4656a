//! The leads list (`/leads`): search and filter the leads the user may see (status, grade,
//! owner, source, tag, text), newest first from the server in pages ("load more"), with the
//! filters in the address so a reload or a shared link keeps them, and a sort of the loaded
//! rows. The page reads the filters and sort from the address, loads the first page, and
//! composes the filter form, the sort and the results.
use crate::components::leads::address::query_from;
use crate::components::leads::filters::LeadFilters;
use crate::components::leads::results::LeadResults;
use crate::components::leads::sort::LeadSort;
use crate::domain::lead_query::SortBy;
use crate::server_fns::leads::list_leads;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

crate::texts! {
    Title: "线索", "Leads";
    New: "＋ 新建线索", "＋ New lead";
    Export: "导出", "Export";
}

/// The export of the list under its filters (the server scopes it to the user).
fn export_href(query: &crate::domain::lead_query::LeadQuery, format: &str) -> String {
    let list = crate::components::leads::address::list_href(query, SortBy::Newest);
    let filters = list.split_once('?').map(|(_, q)| format!("&{q}")).unwrap_or_default();
    format!("/api/v1/leads/export?format={format}{filters}")
}

/// The `/leads` page: the filters and sort in the address, the first page of leads for them.
#[component]
pub fn LeadsPage() -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|m| query_from(|k| m.get(k))));
    let sort = Memo::new(move |_| query_map.with(|m| SortBy::parse(&m.get("sort").unwrap_or_default())));
    // The first page, newest first; the filter form's people and tags load after it.
    let first = crate::wire::resource(move || query.get(), list_leads);

    view! {
        <div class="leads-page">
            <header class="page-head">
                <h1>{move || t(lang.get(), T::Title)}</h1>
                // Every lead the user may see under these filters (the server scopes the file).
                <span class="export">
                    {move || t(lang.get(), T::Export)}" "
                    <a href=move || export_href(&query.get(), "xlsx") rel="external" download>"Excel"</a>" · "
                    <a href=move || export_href(&query.get(), "csv") rel="external" download>"CSV"</a>
                </span>
                <A href="/leads/new" attr:class="button primary">{move || t(lang.get(), T::New)}</A>
            </header>
            <LeadFilters query=query sort=sort/>
            <LeadSort query=query sort=sort/>
            <LeadResults query=query sort=sort first=first/>
        </div>
    }
}
