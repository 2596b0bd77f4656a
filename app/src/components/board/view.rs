//! The board itself, self-contained so it can also be mounted alone as the embeddable widget:
//! it loads the columns for a filter and keeps them in step with the viewer's moves and
//! everyone else's, as the server pushes them.
use super::ask::AskDialog;
use super::column::ColumnView;
use super::drag::follow_pointer;
use super::notice::NoticeView;
use super::state::BoardState;
use crate::components::live::{use_live_events, Live};
use crate::domain::board::{Board, BoardFilter, COLUMNS};
use crate::server_fns::board::load_board;
use crate::ui::use_ui;
use crate::wire::PageEvent;
use leptos::prelude::*;

crate::texts! {
    Board: "销售看板", "Pipeline board";
    Loading: "加载中…", "Loading…";
    Live: "实时同步中", "Live";
    Offline: "连接中断，正在重连…", "Reconnecting…";
    Help: "拖动卡片换列；或选中卡片按空格键拿起，用左右方向键选列，再按空格键放下，Esc 取消。", "Drag a card to another column; or focus a card, press Space to pick it up, Left/Right to choose a column, Space to drop, Esc to cancel.";
}

/// The board: loads the columns for `filter`, and keeps them in step with the viewer's
/// moves and everyone else's.
#[component]
pub fn BoardView(#[prop(into)] filter: Signal<BoardFilter>) -> impl IntoView {
    let lang = use_ui().lang;
    let loaded = crate::wire::resource(move || filter.get(), load_board);
    view! {
        <Transition fallback=move || view! { <p class="board-loading">{move || t(lang.get(), T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(board) => view! { <LoadedBoard initial=board filter=filter reload=move || loaded.refetch()/> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{move || e.message(lang.get())}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The columns as loaded, the help line with the live indicator, the notice, the
/// screen-reader announcements and the won/lost question.
#[component]
fn LoadedBoard(
    initial: Board,
    filter: Signal<BoardFilter>,
    reload: impl Fn() + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = use_ui().lang;
    let state = BoardState::new(initial, filter, lang);
    let BoardState { board, pending, .. } = state;
    follow_pointer(state);

    // Other people's changes, as the server pushes them; after a reconnection (or an import)
    // the board reloads to catch up with what it missed.
    let live = use_live_events(move |event| match event {
        // A card this board is moving itself is settled by the server's answer.
        PageEvent::LeadChanged { previous, card } if !pending.with_untracked(|p| p.contains(&card.code)) => {
            let f = filter.get_untracked();
            board.update(|b| b.apply(previous.as_deref(), *card, &f));
        }
        PageEvent::LeadGone { previous } => {
            let f = filter.get_untracked();
            board.update(|b| b.remove(&previous, &f));
        }
        PageEvent::Imported | PageEvent::Resync | PageEvent::Settings(_) => reload(),
        PageEvent::LeadChanged { .. } | PageEvent::Tasks => {}
    });
    let on = move || live.get() == Live::On;

    view! {
        <div class="pipeline" aria-label=move || t(lang.get(), T::Board)>
            <p class="board-help">
                <span class=move || if on() { "live on" } else { "live" }>
                    {move || if on() { t(lang.get(), T::Live) } else { t(lang.get(), T::Offline) }}
                </span>
                " "{move || t(lang.get(), T::Help)}
            </p>
            <NoticeView notice=state.notice/>
            <div class="columns">
                {COLUMNS.iter().map(|s| view! { <ColumnView status=*s state=state/> }).collect_view()}
            </div>
            <p class="sr-only" aria-live="assertive">{move || state.announce.get()}</p>
            {move || state.ask.get().map(|a| view! { <AskDialog ask=a state=state/> })}
        </div>
    }
}
