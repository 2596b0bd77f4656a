//! Genjin's server: configuration, database, REST API, live updates and the Leptos app.
#![recursion_limit = "256"]
pub mod api;
pub mod config;
pub mod demo;

pub use app::ssr::{auth, db, error, repo, state};

use app::{shell, App};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use std::sync::Arc;
use tokio::sync::{broadcast, RwLock};

/// Connects, migrates, bootstraps and loads the analytic view: everything before serving.
pub async fn prepare(
    db_url: &str,
    admin_token: Option<&str>,
    leptos_options: LeptosOptions,
) -> Result<AppState, error::ApiError> {
    let db = db::connect(db_url).await?;
    if let Some(token) = admin_token.filter(|t| !t.is_empty()) {
        if repo::users::bootstrap_admin(&db, token).await? {
            tracing::info!("created the admin account from GENJIN_ADMIN_TOKEN");
        }
    } else if repo::users::user_count(&db).await? == 0 {
        tracing::warn!(
            "the workspace has no users: start once with GENJIN_ADMIN_TOKEN=SECRET to create the admin account"
        );
    }
    let settings = repo::settings::load(&db).await?;
    let (view, board) = repo::view::load(&db).await?;
    let (events, _) = broadcast::channel(1024);
    Ok(AppState {
        db,
        view: Arc::new(RwLock::new(view)),
        board: Arc::new(RwLock::new(board)),
        settings: Arc::new(RwLock::new(settings)),
        events,
        leptos_options,
    })
}

/// Gives the admin account a password when it has none (`GENJIN_ADMIN_PASSWORD`).
pub async fn set_first_admin_password(state: &AppState, password: &str) -> Result<(), error::ApiError> {
    let mut res = state.db.query("SELECT VALUE key FROM user WHERE role = 'admin' AND password_hash = NONE").await?;
    let admins: Vec<String> = res.take(0)?;
    for admin in admins {
        repo::sessions::set_password(&state.db, &admin, password).await?;
        tracing::info!(%admin, "set the admin's password from GENJIN_ADMIN_PASSWORD");
    }
    Ok(())
}

/// The whole HTTP app: the API and the server-rendered pages.
pub fn build_app(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    Router::new()
        .merge(api::router())
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
