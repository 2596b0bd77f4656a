//! Moving a card with a mouse or a finger (pointer events): the card follows the pointer, the
//! column under it is the drop target, and the columns scroll when the card nears an edge.
use super::state::BoardState;
use crate::domain::enums::Status;
use leptos::prelude::*;

/// A card being dragged with a pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Drag {
    pub code: String,
    pub from: Status,
    pub start: (f64, f64),
    pub offset: (f64, f64),
    /// Past the few pixels that tell a drag from a click.
    pub active: bool,
    pub over: Option<Status>,
}

/// Whether a pointer has moved far enough from where it went down to be a drag.
fn is_drag(start: (f64, f64), now: (f64, f64)) -> bool {
    (now.0 - start.0).hypot(now.1 - start.1) > 6.0
}

/// The column under a point of the page (a drop target), if any.
fn column_at(x: f64, y: f64) -> Option<Status> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-status]").ok()??;
    Status::parse(&column.get_attribute("data-status")?)
}

/// What a card does when a pointer goes down on it: it may start a drag of the card `code`.
pub fn press(state: BoardState, code: String, status: Status) -> impl Fn(leptos::ev::PointerEvent) + 'static {
    move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 || !ev.is_primary() {
            return;
        }
        // A press on the card's link opens the lead instead.
        let on_link = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|e| e.closest("a").ok().flatten())
            .is_some();
        if on_link && ev.pointer_type() == "mouse" {
            return;
        }
        let start = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        state.drag.set(Some(Drag {
            code: code.clone(),
            from: status,
            start,
            offset: (0.0, 0.0),
            active: false,
            over: None,
        }));
    }
}

/// Follows the dragged card over the whole window while the board lives: the card follows
/// the pointer, and a release over another column asks for the move.
pub fn follow_pointer(state: BoardState) {
    let drag = state.drag;
    let pointer_move = window_event_listener(leptos::ev::pointermove, move |ev| {
        if drag.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        drag.update(|d| {
            if let Some(d) = d {
                d.offset = (x - d.start.0, y - d.start.1);
                d.active = d.active || is_drag(d.start, (x, y));
                if d.active {
                    d.over = column_at(x, y);
                }
            }
        });
        if drag.with_untracked(|d| d.as_ref().is_some_and(|d| d.active)) {
            ev.prevent_default();
            // Near the board's left or right edge, the columns scroll under the card.
            if let Some(columns) = document().query_selector(".columns").ok().flatten() {
                let rect = columns.get_bounding_client_rect();
                if x < rect.left() + 60.0 {
                    columns.scroll_by_with_x_and_y(-24.0, 0.0);
                } else if x > rect.right() - 60.0 {
                    columns.scroll_by_with_x_and_y(24.0, 0.0);
                }
            }
        }
    });
    let pointer_up = window_event_listener(leptos::ev::pointerup, move |ev| {
        let Some(d) = drag.get_untracked() else { return };
        drag.set(None);
        if d.active {
            let target = column_at(f64::from(ev.client_x()), f64::from(ev.client_y())).or(d.over);
            if let Some(to) = target.filter(|to| *to != d.from) {
                state.request(&d.code, to);
            }
        }
    });
    let pointer_cancel = window_event_listener(leptos::ev::pointercancel, move |_| drag.set(None));
    on_cleanup(move || {
        pointer_move.remove();
        pointer_up.remove();
        pointer_cancel.remove();
    });
}

/// Where the dragged card `code` is drawn: shifted under the pointer while it is dragged.
pub fn card_style(drag: &Option<Drag>, code: &str) -> String {
    match drag {
        Some(d) if d.active && d.code == code => {
            // Whole pixels: the card follows the pointer without fractional offsets.
            let (x, y) = (d.offset.0.round() as i64, d.offset.1.round() as i64);
            format!("transform: translate({x}px, {y}px) rotate(2deg);")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_is_not_a_drag_until_the_pointer_travels() {
        assert!(!is_drag((10.0, 10.0), (13.0, 14.0)));
        assert!(is_drag((10.0, 10.0), (30.0, 10.0)));
    }
}
