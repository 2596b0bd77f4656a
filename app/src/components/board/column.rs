//! One column of the board: its status, how many leads it holds and their amount, its cards,
//! and the next cards when it is scrolled to its end or "load more" is pressed.
use super::card::CardView;
use super::state::BoardState;
use crate::domain::board::BoardCard;
use crate::domain::enums::Status;
use crate::format::cny;
use leptos::prelude::*;

crate::texts! {
    Leads: "条", "leads";
    More: "加载更多", "Load more";
    Loading: "加载中…", "Loading…";
    Empty: "暂无线索", "No leads";
}

/// The column of the leads in `status`: a drop target while a card is dragged or picked up.
#[component]
pub fn ColumnView(status: Status, state: BoardState) -> impl IntoView {
    let BoardState { lang, board, drag, grab, loading_more, .. } = state;
    let label = move || status.label(lang.get());
    let heading_id = format!("col-{}", status.key());
    let labelled_by = heading_id.clone();
    let count = move || board.with(|b| b.column(status).map_or(0, |c| c.count));
    let amount = move || board.with(|b| b.column(status).map_or(0.0, |c| c.amount));
    let has_more = move || board.with(|b| b.column(status).is_some_and(|c| c.has_more()));
    let cards = move || board.with(|b| b.column(status).map(|c| c.cards.clone()).unwrap_or_default());
    let class = move || {
        let mut c = format!("column column-{}", status.key());
        let over = drag.with(|d| d.as_ref().is_some_and(|d| d.active && d.over == Some(status) && d.from != status));
        let target = grab.with(|g| g.as_ref().is_some_and(|g| g.target == status));
        if over || target {
            c.push_str(" drop-target");
        }
        c
    };
    let on_scroll = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let near_end = el.scroll_top() + el.client_height() >= el.scroll_height() - 160;
            if near_end && has_more() {
                state.load_more(status);
            }
        }
    };
    view! {
        <section class=class data-status=status.key() aria-labelledby=labelled_by>
            <header class="column-head">
                <h2 id=heading_id>{label}</h2>
                <span class="column-count" title=move || t(lang.get(), T::Leads)>{count}</span>
                <span class="column-amount">{move || cny(amount())}</span>
            </header>
            <ul role="list" class="cards" aria-label=label on:scroll=on_scroll>
                <For each=cards key=|c| (c.code.clone(), c.version, c.status_since)
                    children=move |card: BoardCard| view! { <CardView card=card state=state/> }/>
                <Show when=move || count() == 0>
                    <li class="column-empty" aria-hidden="true">{move || t(lang.get(), T::Empty)}</li>
                </Show>
            </ul>
            <Show when=has_more>
                <button type="button" class="load-more" on:click=move |_| state.load_more(status)
                    disabled=move || loading_more.with(|l| l.contains(&status))>
                    {move || if loading_more.with(|l| l.contains(&status)) { t(lang.get(), T::Loading) } else { t(lang.get(), T::More) }}
                </button>
            </Show>
        </section>
    }
}
