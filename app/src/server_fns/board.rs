//! The board's server functions: the columns the viewer may see, later pages of a column,
//! the people to filter by, and moving a card.
use crate::domain::board::{Board, BoardCard, BoardFilter};
use crate::domain::enums::{LossReason, Status};
use crate::error::UiError;
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::{Json, Postcard};

/// The board as the viewer may see it, with the filter applied.
#[server(prefix = "/rpc", endpoint = "board", input = Json, output = Postcard)]
pub async fn load_board(filter: BoardFilter) -> Result<Board, UiError> {
    let (state, actor) = super::acting().await?;
    let index = state.index.read().await;
    let visible = index.cards().filter(|c| actor.can_see(c.owner.as_deref(), c.team.as_deref()));
    let now = chrono::Utc::now();
    let mut board = crate::domain::board::build(visible, &filter, crate::domain::board::PAGE, now);
    index.with_tiers(board.columns.iter_mut().flat_map(|c| c.cards.iter_mut()), now);
    Ok(board)
}

/// The next cards of one column, after the first `offset`.
#[server(prefix = "/rpc", endpoint = "board_column", input = Json, output = Postcard)]
pub async fn load_column(status: Status, filter: BoardFilter, offset: usize) -> Result<Vec<BoardCard>, UiError> {
    let (state, actor) = super::acting().await?;
    let index = state.index.read().await;
    let visible = index.cards().filter(|c| actor.can_see(c.owner.as_deref(), c.team.as_deref()));
    let mut cards = crate::domain::board::page(visible, status, &filter, offset, crate::domain::board::PAGE);
    index.with_tiers(cards.iter_mut(), chrono::Utc::now());
    Ok(cards)
}

/// Moves a card (the same rules as `POST /api/v1/leads/{code}/move`): won needs the deal
/// amount, lost the reason, and a stale version answers the lead as it now stands.
#[server(prefix = "/rpc", endpoint = "move_card", input = Json, output = Postcard)]
pub async fn move_card(
    code: String,
    to: Status,
    version: u64,
    deal_amount: Option<f64>,
    loss_reason: Option<LossReason>,
) -> Result<BoardCard, UiError> {
    let (state, actor) = super::acting().await?;
    let mut body = serde_json::json!({ "to": to, "version": version });
    if let Some(a) = deal_amount {
        body["deal_amount"] = a.into();
    }
    if let Some(r) = loss_reason {
        body["loss_reason"] = serde_json::to_value(r).unwrap_or_default();
    }
    let m = crate::domain::commands::StageMove::read(&body).map_err(UiError::Invalid)?;
    let lead = crate::ssr::service::moves::move_lead(&state, &actor, &code, m).await?;
    let mut card = BoardCard::of_lead(&lead);
    state.index.read().await.with_tiers(std::iter::once(&mut card), chrono::Utc::now());
    Ok(card)
}

/// The reps and teams the viewer may see, when `needed` (else none), as a page resource: one
/// function for every page that lists people, so the browser's wasm holds one copy of the
/// resource's machinery, not one a page.
pub fn people_resource(
    needed: leptos::prelude::Signal<bool>,
) -> crate::wire::WireResource<Result<crate::domain::people::People, UiError>> {
    use leptos::prelude::Get;
    crate::wire::resource(
        move || needed.get(),
        |needed| async move {
            if needed {
                load_people().await
            } else {
                Ok(Default::default())
            }
        },
    )
}

/// The reps and teams the viewer may see, for the filters.
#[server(prefix = "/rpc", endpoint = "people", output = Postcard)]
pub async fn load_people() -> Result<crate::domain::people::People, UiError> {
    let (state, actor) = super::acting().await?;
    Ok(crate::ssr::service::leads::people(&state, &actor).await?)
}
