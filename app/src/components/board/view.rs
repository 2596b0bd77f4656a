//! The board itself, self-contained so it is also mounted alone as the pipeline widget: it
//! loads the columns for a filter and keeps them in step with the viewer's moves and
//! everyone else's, as the server pushes them.
use super::ask::AskDialog;
use super::column::ColumnView;
use super::drag::follow_pointer;
use super::notice::NoticeView;
use super::state::BoardState;
use crate::components::live::{use_live_events, use_live_events_from, Live};
use crate::domain::board::{Board, BoardFilter, COLUMNS};
use crate::server_fns::board::load_board;
use crate::ui::{encode, use_ui};
use crate::wire::{PageEvent, EMBED_EVENTS_URL};
use leptos::prelude::*;

crate::texts! {
    Board: "销售看板", "Pipeline board";
    Loading: "加载中…", "Loading…";
    Live: "实时同步中", "Live";
    Offline: "连接中断，正在重连…", "Reconnecting…";
    Paused: "页面隐藏时暂停同步", "Paused while hidden";
    Help: "拖动卡片换列；或选中卡片按空格键拿起，用左右方向键选列，再按空格键放下，Esc 取消。", "Drag a card to another column; or focus a card, press Space to pick it up, Left/Right to choose a column, Space to drop, Esc to cancel.";
    Revoked: "此看板已停止共享，请联系 Genjin 管理员。", "This board is no longer shared. Please ask your Genjin admin.";
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
/// screen-reader announcements and the won/lost question. With `embed` (the widget's key) the
/// board is read-only, listens by the key, and says so plainly when its embed is revoked.
#[component]
pub fn LoadedBoard(
    initial: Board,
    filter: Signal<BoardFilter>,
    reload: impl Fn() + Send + Sync + Copy + 'static,
    #[prop(optional)] embed: Option<StoredValue<String>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let state = BoardState::new(initial, filter, lang);
    let state = match embed {
        Some(key) => state.embedded(key),
        None => state,
    };
    let BoardState { board, pending, .. } = state;
    let revoked = RwSignal::new(false);
    if state.movable() {
        follow_pointer(state);
    }

    // Other people's changes, as the server pushes them; after a reconnection (or an import)
    // the board reloads to catch up with what it missed.
    let on_event = move |event| match event {
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
        PageEvent::Revoked => revoked.set(true),
        PageEvent::LeadChanged { .. } | PageEvent::Tasks => {}
    };
    let live = match embed {
        Some(key) => use_live_events_from(format!("{EMBED_EVENTS_URL}?key={}", encode(&key.get_value())), on_event),
        None => use_live_events(on_event),
    };
    let status = move || {
        let (class, text) = match live.get() {
            Live::On => ("live on", T::Live),
            Live::Paused => ("live", T::Paused),
            _ => ("live", T::Offline),
        };
        view! { <span class=class>{move || t(lang.get(), text)}</span> }
    };

    view! {
        <div class="pipeline" aria-label=move || t(lang.get(), T::Board)>
            <Show when=move || !revoked.get()
                fallback=move || view! { <p class="notice error embed-revoked" role="alert">{move || t(lang.get(), T::Revoked)}</p> }>
                <p class="board-help">
                    {status}
                    {state.movable().then(|| view! { " "{move || t(lang.get(), T::Help)} })}
                </p>
                <NoticeView notice=state.notice/>
                <div class="columns">
                    {COLUMNS.iter().map(|s| view! { <ColumnView status=*s state=state/> }).collect_view()}
                </div>
                <p class="sr-only" aria-live="assertive">{move || state.announce.get()}</p>
                {move || state.ask.get().map(|a| view! { <AskDialog ask=a state=state/> })}
            </Show>
        </div>
    }
}
