//! The pages' live connection to the server: one hook, used by the board and the dashboard,
//! that listens to the changes of [`EVENTS_URL`] while a page is open and catches up after
//! the connection comes back.
use crate::wire::{PageEvent, EVENTS_URL};
use leptos::prelude::*;

/// The state of the live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Connecting,
    On,
    Lost,
}

/// Listens to the server's live events while the calling component lives (in the browser;
/// nothing happens on the server). Every event goes to `on_event`. When the connection drops
/// and comes back (the browser reconnects by itself), the page has missed what happened in
/// between: `on_event` then gets [`PageEvent::Resync`], on which a page reloads its data.
/// Returns the connection's state for the page's live indicator.
pub fn use_live_events(on_event: impl Fn(PageEvent) + 'static) -> RwSignal<Live> {
    // One copy of the connection's code for every page that listens, whatever its handler.
    live_events(std::rc::Rc::new(on_event))
}

fn live_events(on_event: std::rc::Rc<dyn Fn(PageEvent)>) -> RwSignal<Live> {
    let live = RwSignal::new(Live::Connecting);
    Effect::new(move |_| {
        use std::cell::Cell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        let Ok(source) = web_sys::EventSource::new(EVENTS_URL) else {
            live.set(Live::Lost);
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let on_event = on_event.clone();
            move |ev: web_sys::MessageEvent| {
                if let Some(event) = ev.data().as_string().and_then(|d| PageEvent::decode(&d)) {
                    on_event(event);
                }
            }
        });
        let was_lost = Rc::new(Cell::new(false));
        let on_open = Closure::<dyn FnMut()>::new({
            let was_lost = Rc::clone(&was_lost);
            let on_event = on_event.clone();
            move || {
                live.set(Live::On);
                if was_lost.replace(false) {
                    on_event(PageEvent::Resync);
                }
            }
        });
        let on_error = Closure::<dyn FnMut()>::new(move || {
            was_lost.set(true);
            live.set(Live::Lost);
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = send_wrapper::SendWrapper::new((source, on_message, on_open, on_error));
        on_cleanup(move || {
            let (source, _on_message, _on_open, _on_error) = held.take();
            source.set_onmessage(None);
            source.set_onopen(None);
            source.set_onerror(None);
            source.close();
        });
    });
    live
}
