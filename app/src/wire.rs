//! How Genjin's pages and its server hand data to each other: postcard, a compact binary
//! serde format, for the answers of the server functions (`output = Postcard`), their errors
//! ([`crate::error::UiError`]) and the data a server-rendered page passes to the browser
//! ([`resource`]).
//!
//! Postcard is not self-describing: a reader follows the type, field by field, so the
//! browser's wasm carries only small decoders instead of a JSON parser's field-name matching
//! for every type it reads. The public REST API (`/api/v1`, its event stream included) stays
//! JSON; the pages listen to `/rpc/events`, the same changes as [`PageEvent`]s in postcard.
//! Types that travel here must not skip fields when serialising (`skip_serializing_if`) nor
//! read untyped (`flatten`, internally tagged enums) in the binary form; [`Lead`] and
//! [`KpiReport`] keep their flat JSON shape for the API and a positional one here.
//!
//! [`Lead`]: crate::domain::lead::Lead
//! [`KpiReport`]: crate::kpi::KpiReport
use crate::domain::board::BoardCard;
use base64::Engine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::future::Future;

/// The codec of the data a server-rendered page passes to the browser.
pub type Wire = codee::binary::PostcardCodec;

/// A resource whose first value the server renders into the page in postcard.
pub type WireResource<T> = Resource<T, Wire>;

/// A resource loaded with `fetcher` whenever `source` changes (see [`Resource::new`]); a
/// blocking one is `WireResource::new_with_options(source, fetcher, true)`.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> WireResource<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// Where the pages listen for other people's changes (server-sent events).
pub const EVENTS_URL: &str = "/rpc/events";

/// Where the pipeline widget listens for its team's changes (`?key=`: no session, no cookie).
pub const EMBED_EVENTS_URL: &str = "/embed/events";

/// A change as the pages' event stream carries it: postcard, in base64, as each event's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PageEvent {
    /// A lead was created, edited, moved or followed up: how it stood before (none for a new
    /// lead) and how it looks now.
    LeadChanged { previous: Option<Box<BoardCard>>, card: Box<BoardCard> },
    /// A lead the listener saw has gone out of its sight (reassigned, say).
    LeadGone { previous: Box<BoardCard> },
    /// Leads were imported: reload.
    Imported,
    /// The listener missed changes: reload.
    Resync,
    /// The workspace's settings changed (open leads may have been regraded): compute with
    /// these from now on, and reload.
    Settings(Box<crate::settings::WorkspaceSettings>),
    /// Tasks of the listener (or, for a manager, of their people) were made or done without
    /// their leads changing: My day and the task badge refresh.
    Tasks,
    /// The pipeline widget's embed was revoked: the widget stops (its stream ends).
    Revoked,
}

impl PageEvent {
    /// The event's data line.
    pub fn encode(&self) -> String {
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// Reads an event's data line; `None` when it is not one.
    pub fn decode(data: &str) -> Option<PageEvent> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(data).ok()?;
        postcard::from_bytes(&bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::board::tests::card as board_card;
    use crate::domain::enums::Status;

    fn card(code: &str, status: Status) -> Box<BoardCard> {
        Box::new(board_card(code, status, 2, 120_000.0))
    }

    #[test]
    fn page_events_read_back_as_written() {
        let events = [
            PageEvent::LeadChanged { previous: Some(card("L1", Status::New)), card: card("L1", Status::Contacted) },
            PageEvent::LeadChanged { previous: None, card: card("L2", Status::New) },
            PageEvent::LeadGone { previous: card("L3", Status::Proposal) },
            PageEvent::Imported,
            PageEvent::Resync,
            PageEvent::Revoked,
        ];
        for event in events {
            let data = event.encode();
            assert!(!data.contains('\n'), "one data line");
            assert_eq!(PageEvent::decode(&data), Some(event));
        }
        assert_eq!(PageEvent::decode("not an event"), None);
        assert_eq!(PageEvent::decode(""), None);
    }
}
