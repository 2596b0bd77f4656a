//! What the board's pieces share while the board is open: the columns as shown, the card being
//! dragged or picked up, the won/lost question, the notice and the screen-reader announcement,
//! and the moves: shown at once, then sent to the server, rolled back when it refuses.
use super::ask::Ask;
use super::drag::Drag;
use super::keyboard::{focus_card, Grab};
use super::notice::Notice;
use crate::domain::board::{Board, BoardCard, BoardFilter};
use crate::domain::enums::{LossReason, Status};
use crate::error::UiError;
use crate::i18n::Lang;
use crate::server_fns::board::{load_column, move_card};
use crate::server_fns::embed::load_embed_column;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
// A BTreeSet, not a HashSet: the hasher would add SipHash to the wasm for a few keys.
use std::collections::BTreeSet as HashSet;

crate::texts! {
    MovedTo: "已移动到", "moved to";
}

/// The open board's state, handed to each of its pieces (every field is a signal or a copy).
#[derive(Clone, Copy)]
pub struct BoardState {
    pub lang: RwSignal<Lang>,
    pub filter: Signal<BoardFilter>,
    /// When the board was loaded: the days in stage and the stale marks count from it.
    pub now: DateTime<Utc>,
    pub board: RwSignal<Board>,
    pub drag: RwSignal<Option<Drag>>,
    pub grab: RwSignal<Option<Grab>>,
    pub ask: RwSignal<Option<Ask>>,
    pub notice: RwSignal<Option<Notice>>,
    /// What the screen reader says next (a live region).
    pub announce: RwSignal<String>,
    /// The cards this board is moving itself, until the server answers.
    pub pending: RwSignal<HashSet<String>>,
    /// The columns loading a later page.
    pub loading_more: RwSignal<HashSet<Status>>,
    /// The pipeline widget's key: the board is then read-only and loads by the key alone.
    pub embed: Option<StoredValue<String>>,
}

impl BoardState {
    pub fn new(initial: Board, filter: Signal<BoardFilter>, lang: RwSignal<Lang>) -> BoardState {
        BoardState {
            lang,
            filter,
            now: initial.now,
            board: RwSignal::new(initial),
            drag: RwSignal::new(None),
            grab: RwSignal::new(None),
            ask: RwSignal::new(None),
            notice: RwSignal::new(None),
            announce: RwSignal::new(String::new()),
            pending: RwSignal::new(HashSet::new()),
            loading_more: RwSignal::new(HashSet::new()),
            embed: None,
        }
    }

    /// The same board as the pipeline widget of `key` shows it: read-only.
    pub fn embedded(self, key: StoredValue<String>) -> BoardState {
        BoardState { embed: Some(key), ..self }
    }

    /// Whether cards may be moved here (not in the widget).
    pub fn movable(self) -> bool {
        self.embed.is_none()
    }

    /// Moves a card: at once on the board, then on the server; a refusal puts it back (or,
    /// when someone else changed it first, where they put it) and says why.
    pub fn commit(self, card: BoardCard, to: Status, amount: Option<f64>, reason: Option<LossReason>) {
        let BoardState { lang, filter, board, notice, announce, pending, .. } = self;
        let lang_now = lang.get_untracked();
        let moved = card.moved(to, amount, chrono::Utc::now());
        let f = filter.get_untracked();
        board.update(|b| b.put(Some(&card), moved.clone(), &f));
        pending.update(|p| {
            p.insert(card.code.clone());
        });
        notice.set(None);
        let code = card.code.clone();
        focus_card(card.code.clone());
        leptos::task::spawn_local(async move {
            let answer = move_card(code.clone(), to, card.version, amount, reason).await;
            let f = filter.get_untracked();
            match answer {
                Ok(now_card) => {
                    board.update(|b| b.put(Some(&moved), now_card, &f));
                    focus_card(code.clone());
                    announce.set(format!("{} {} {}", code, t(lang_now, T::MovedTo), to.label(lang_now)));
                }
                Err(UiError::Conflict(lead)) => {
                    let fresh = BoardCard::of_lead(&lead);
                    board.update(|b| b.put(Some(&moved), fresh, &f));
                    focus_card(code.clone());
                    let text = UiError::Conflict(lead).message(lang.get_untracked());
                    announce.set(text.clone());
                    notice.set(Some(Notice { text, error: true }));
                }
                Err(e) => {
                    board.update(|b| b.put(Some(&moved), card.clone(), &f));
                    focus_card(code.clone());
                    let text = format!("{}：{}", code, e.message(lang.get_untracked()));
                    announce.set(text.clone());
                    notice.set(Some(Notice { text, error: true }));
                }
            }
            pending.update(|p| {
                p.remove(&code);
            });
        });
    }

    /// A drop or a keyboard move: won and lost ask first.
    pub fn request(self, code: &str, to: Status) {
        let Some(card) = self.board.with_untracked(|b| b.find(code).cloned()) else { return };
        if card.status == to || self.pending.with_untracked(|p| p.contains(code)) {
            return;
        }
        match to {
            Status::Won | Status::Lost => self.ask.set(Some(Ask { card, to })),
            _ => self.commit(card, to, None, None),
        }
    }

    /// Loads the next page of a column, when it is scrolled to its end or "load more" is
    /// pressed.
    pub fn load_more(self, status: Status) {
        let BoardState { lang, filter, board, notice, loading_more, embed, .. } = self;
        if loading_more.with_untracked(|l| l.contains(&status)) {
            return;
        }
        let offset = board.with_untracked(|b| b.column(status).map_or(0, |c| c.cards.len()));
        loading_more.update(|l| {
            l.insert(status);
        });
        leptos::task::spawn_local(async move {
            let more = match embed {
                Some(key) => load_embed_column(key.get_value(), status, offset).await,
                None => load_column(status, filter.get_untracked(), offset).await,
            };
            match more {
                Ok(more) => board.update(|b| b.append(status, more)),
                Err(e) => notice.set(Some(Notice { text: e.message(lang.get_untracked()), error: true })),
            }
            loading_more.update(|l| {
                l.remove(&status);
            });
        });
    }
}
