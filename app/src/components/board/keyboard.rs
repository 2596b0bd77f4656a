//! Moving a card with the keyboard: Space or Enter picks the focused card up, Left and Right
//! choose the column, Space or Enter drops it there and Esc cancels; a screen reader hears
//! each step.
use super::state::BoardState;
use crate::domain::board::neighbour;
use crate::domain::enums::Status;
use leptos::prelude::*;

crate::texts! {
    Picked: "已拿起，用左右方向键选择列，空格键放下，Esc 取消", "picked up; use Left and Right to choose a column, Space to drop, Esc to cancel";
    Target: "目标列", "target column";
    Cancelled: "已取消移动", "Move cancelled";
}

/// A card picked up with the keyboard, and the column it would drop into.
#[derive(Debug, Clone, PartialEq)]
pub struct Grab {
    pub code: String,
    pub target: Status,
}

/// What a key pressed on the card `code` (in the column `status`) does.
pub fn keys(state: BoardState, code: String, status: Status) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    let BoardState { lang, grab, announce, .. } = state;
    move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let held = grab.get_untracked().filter(|g| g.code == code);
        match (key.as_str(), held) {
            (" " | "Enter", None) => {
                ev.prevent_default();
                grab.set(Some(Grab { code: code.clone(), target: status }));
                let l = lang.get_untracked();
                announce.set(format!("{} {}", code, t(l, T::Picked)));
            }
            ("ArrowRight" | "ArrowLeft", Some(g)) => {
                ev.prevent_default();
                if let Some(next) = neighbour(g.target, key == "ArrowRight") {
                    grab.set(Some(Grab { code: g.code, target: next }));
                    let l = lang.get_untracked();
                    announce.set(format!("{}：{}", t(l, T::Target), next.label(l)));
                }
            }
            (" " | "Enter", Some(g)) => {
                ev.prevent_default();
                grab.set(None);
                if g.target != status {
                    state.request(&g.code, g.target);
                }
            }
            ("Escape", Some(_)) => {
                grab.set(None);
                announce.set(t(lang.get_untracked(), T::Cancelled).to_string());
            }
            _ => {}
        }
    }
}

/// Moves keyboard focus to a card once it is drawn in its new place.
pub fn focus_card(code: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .query_selector(&format!("[data-code=\"{code}\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
