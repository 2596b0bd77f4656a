//! The pipeline widget's server functions: its team's board and a column's later cards, by
//! the embed's key alone — no session is read, no cookie set (PRODUCT.md §15).
use crate::domain::board::{Board, BoardCard};
use crate::domain::enums::Status;
use crate::error::UiError;
use crate::settings::WorkspaceSettings;
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::{Json, Postcard};
use serde::{Deserialize, Serialize};

/// What the widget shows: the team, its board, and what the browser computes the days
/// in stage and the stale marks with (the workspace's cadence and its offset from UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedView {
    /// The team's key: the widget's board is filtered to it, so a lead moving in from another
    /// team is counted right.
    pub team: String,
    pub team_name: String,
    /// The intranet origins allowed to show the widget: its height goes to them alone.
    pub origins: Vec<String>,
    pub board: Board,
    pub settings: WorkspaceSettings,
    pub utc_offset: i32,
}

/// Why a widget shows nothing: its key is unknown, or its embed was revoked.
pub fn refused(revoked: bool) -> UiError {
    if revoked {
        UiError::Forbidden("revoked".into())
    } else {
        UiError::NotFound("embed".into())
    }
}

/// Whether an error says the embed was revoked.
pub fn is_revoked(e: &UiError) -> bool {
    matches!(e, UiError::Forbidden(m) if m == "revoked")
}

/// The embed a widget's key opens, with the shared state; why not, as the page's error.
#[cfg(feature = "ssr")]
async fn opened(key: &str) -> Result<(crate::ssr::state::AppState, crate::domain::embed::Embed), UiError> {
    use crate::ssr::service::embeds;
    let state = super::state()?;
    let embed = embeds::open(&state, key).await.map_err(|r| refused(matches!(r, embeds::Refused::Revoked(_))))?;
    Ok((state, embed))
}

/// The widget's board, by its key.
#[server(prefix = "/rpc", endpoint = "embed_board", input = Json, output = Postcard)]
pub async fn load_embed_board(key: String) -> Result<EmbedView, UiError> {
    let (state, embed) = opened(&key).await?;
    Ok(crate::ssr::service::embeds::view(&state, &embed).await)
}

/// The next cards of one of the widget's columns, after the first `offset`.
#[server(prefix = "/rpc", endpoint = "embed_column", input = Json, output = Postcard)]
pub async fn load_embed_column(key: String, status: Status, offset: usize) -> Result<Vec<BoardCard>, UiError> {
    let (state, embed) = opened(&key).await?;
    Ok(crate::ssr::service::embeds::column(&state, &embed, status, offset).await)
}
