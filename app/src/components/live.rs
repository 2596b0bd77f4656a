//! The pages' live connection to the server: one hook, used by the board, the dashboard and
//! the pipeline widget, that listens to server-sent changes while a page is open and catches
//! up after the connection comes back.
use crate::wire::{PageEvent, EVENTS_URL};
use leptos::prelude::*;

/// The state of the live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    Connecting,
    On,
    Lost,
    /// Closed while the page is hidden (the widget), reopened when it shows again.
    Paused,
    /// The server ended it for good (a revoked widget): nothing more will come.
    Ended,
}

/// Listens to the server's live events while the calling component lives (in the browser;
/// nothing happens on the server). Every event goes to `on_event`. When the connection drops
/// and comes back (the browser reconnects by itself), the page has missed what happened in
/// between: `on_event` then gets [`PageEvent::Resync`], on which a page reloads its data.
/// Returns the connection's state for the page's live indicator.
pub fn use_live_events(on_event: impl Fn(PageEvent) + 'static) -> RwSignal<Live> {
    // One copy of the connection's code for every page that listens, whatever its handler.
    live_events(EVENTS_URL.to_string(), false, std::rc::Rc::new(on_event))
}

/// [`use_live_events`] from another address (the widget's, with its key), closed while the
/// page is hidden and reopened — with a [`PageEvent::Resync`] — when it shows again; a
/// [`PageEvent::Revoked`] ends it for good.
pub fn use_live_events_from(url: String, on_event: impl Fn(PageEvent) + 'static) -> RwSignal<Live> {
    live_events(url, true, std::rc::Rc::new(on_event))
}

fn live_events(url: String, pause_when_hidden: bool, on_event: std::rc::Rc<dyn Fn(PageEvent)>) -> RwSignal<Live> {
    let live = RwSignal::new(Live::Connecting);
    Effect::new(move |_| {
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        type Handlers = (Closure<dyn FnMut(web_sys::MessageEvent)>, Closure<dyn FnMut()>, Closure<dyn FnMut()>);
        // The open connection, if any, with its handlers (kept alive while it is open).
        let open: Rc<RefCell<Option<(web_sys::EventSource, Handlers)>>> = Rc::new(RefCell::new(None));
        let close = {
            let open = Rc::clone(&open);
            move || {
                if let Some((source, _handlers)) = open.borrow_mut().take() {
                    source.set_onmessage(None);
                    source.set_onopen(None);
                    source.set_onerror(None);
                    source.close();
                }
            }
        };
        // Ends the open connection from inside its own handler: its handlers stay until the
        // next connection or the cleanup drops them (a closure may not drop itself).
        let stop = {
            let open = Rc::clone(&open);
            move || {
                if let Some((source, _)) = open.borrow().as_ref() {
                    source.close();
                }
            }
        };
        // Whether the next opening follows a gap (a drop, or a pause): the page then reloads.
        let missed = Rc::new(Cell::new(false));
        let connect: Rc<dyn Fn()> = {
            let open = Rc::clone(&open);
            let on_event = on_event.clone();
            let missed = Rc::clone(&missed);
            let close = close.clone();
            let url = url.clone();
            Rc::new(move || {
                close();
                let Ok(source) = web_sys::EventSource::new(&url) else {
                    live.set(Live::Lost);
                    return;
                };
                live.set(Live::Connecting);
                let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
                    let on_event = on_event.clone();
                    let stop = stop.clone();
                    move |ev: web_sys::MessageEvent| match ev.data().as_string().and_then(|d| PageEvent::decode(&d)) {
                        Some(PageEvent::Revoked) => {
                            stop();
                            live.set(Live::Ended);
                            on_event(PageEvent::Revoked);
                        }
                        Some(event) => on_event(event),
                        None => {}
                    }
                });
                let on_open = Closure::<dyn FnMut()>::new({
                    let missed = Rc::clone(&missed);
                    let on_event = on_event.clone();
                    move || {
                        live.set(Live::On);
                        if missed.replace(false) {
                            on_event(PageEvent::Resync);
                        }
                    }
                });
                let on_error = Closure::<dyn FnMut()>::new({
                    let missed = Rc::clone(&missed);
                    move || {
                        missed.set(true);
                        if live.get_untracked() != Live::Ended {
                            live.set(Live::Lost);
                        }
                    }
                });
                source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
                source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                *open.borrow_mut() = Some((source, (on_message, on_open, on_error)));
            })
        };
        connect();
        // The widget pauses while its page is hidden (a background tab, a big screen asleep).
        let on_visibility = pause_when_hidden.then(|| {
            let close = close.clone();
            let connect = Rc::clone(&connect);
            let missed = Rc::clone(&missed);
            let handler = Closure::<dyn FnMut()>::new(move || {
                if live.get_untracked() == Live::Ended {
                    return;
                }
                if document().hidden() {
                    close();
                    missed.set(true);
                    live.set(Live::Paused);
                } else if live.get_untracked() == Live::Paused {
                    connect();
                }
            });
            let _ = document().add_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
            handler
        });
        let held = send_wrapper::SendWrapper::new((close, on_visibility, connect));
        on_cleanup(move || {
            let (close, on_visibility, _connect) = held.take();
            if let Some(handler) = on_visibility {
                let _ = document()
                    .remove_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
            }
            close();
        });
    });
    live
}
