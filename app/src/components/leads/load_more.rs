//! The leads list's "load more": the pages after the first, loaded on request for the filters
//! they were asked with, and the footer with the button and the error of the last attempt.
use crate::domain::lead::Lead;
use crate::domain::lead_query::LeadQuery;
use crate::error::UiError;
use crate::server_fns::leads::list_leads;
use leptos::prelude::*;

crate::texts! {
    LoadMore: "加载更多", "Load more";
    Loading: "正在加载…", "Loading…";
}

/// Leads loaded after the first page, for the filters they were loaded with.
#[derive(Debug, Clone, PartialEq)]
pub struct MorePages {
    pub query: LeadQuery,
    pub rows: Vec<Lead>,
    pub next_cursor: Option<String>,
}

/// The pages loaded after the first: their leads, the error of the last attempt, and the
/// action that loads the page after a cursor for some filters.
#[derive(Clone, Copy)]
pub struct MoreLeads {
    pub pages: RwSignal<Option<MorePages>>,
    pub error: RwSignal<Option<UiError>>,
    pub load: Action<(LeadQuery, String), ()>,
}

impl MoreLeads {
    /// Nothing loaded after the first page yet.
    pub fn empty() -> MoreLeads {
        let pages: RwSignal<Option<MorePages>> = RwSignal::new(None);
        let error: RwSignal<Option<UiError>> = RwSignal::new(None);
        let load = Action::new(move |(base, cursor): &(LeadQuery, String)| {
            let base = base.clone();
            let page_query = LeadQuery { cursor: Some(cursor.clone()), ..base.clone() };
            async move {
                match list_leads(page_query).await {
                    Ok(page) => {
                        error.set(None);
                        pages.update(|m| match m {
                            Some(m) if m.query == base => {
                                m.rows.extend(page.items);
                                m.next_cursor = page.next_cursor;
                            }
                            _ => *m = Some(MorePages { query: base, rows: page.items, next_cursor: page.next_cursor }),
                        });
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        });
        MoreLeads { pages, error, load }
    }
}

/// Below the table: the error of the last attempt, and the button that loads the page after
/// `next_cursor` for the filters in `query` (none when every lead is loaded).
#[component]
pub fn LoadMoreFooter(query: Memo<LeadQuery>, more: MoreLeads, next_cursor: Signal<Option<String>>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let MoreLeads { error, load, .. } = more;
    let loading = load.pending();
    view! {
        <div class="leads-more">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> })}
            {move || next_cursor.get().map(|cursor| view! {
                <button type="button" class="secondary" disabled=move || loading.get()
                    on:click=move |_| { load.dispatch((query.get_untracked(), cursor.clone())); }>
                    {move || if loading.get() { t(lang.get(), T::Loading) } else { t(lang.get(), T::LoadMore) }}
                </button>
            })}
        </div>
    }
}
