//! Genjin's server: configuration, database, REST API, live updates and the Leptos app.
#![recursion_limit = "256"]
pub mod api;
pub mod config;
pub mod demo;
pub mod embed;

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
    let demo = repo::settings::is_demo(&db).await?;
    let (view, index) = repo::view::load(&db).await?;
    let value_model = repo::value::model(&db).await?.map(Arc::new);
    let (events, _) = broadcast::channel(1024);
    let revoked_embeds = repo::embeds::revoked_ids(&db).await?;
    let state = AppState {
        db,
        view: Arc::new(RwLock::new(view)),
        index: Arc::new(RwLock::new(index)),
        settings: Arc::new(RwLock::new(settings)),
        events,
        leptos_options,
        throttle: Default::default(),
        public_origin: std::env::var("GENJIN_PUBLIC_ORIGIN").ok().filter(|o| !o.is_empty()),
        streams: Default::default(),
        demo: Arc::new(std::sync::atomic::AtomicBool::new(demo)),
        value_model: Arc::new(std::sync::RwLock::new(value_model)),
        embeds: Default::default(),
    };
    state.embeds.set_revoked(revoked_embeds);
    Ok(state)
}

/// Gives the admin account a password when it has none (`GENJIN_ADMIN_PASSWORD`).
pub async fn set_first_admin_password(state: &AppState, password: &str) -> Result<(), error::ApiError> {
    let without = repo::users::without_password(&state.db).await?;
    let admins = repo::users::role_holders(&state.db, app::domain::enums::Role::Admin).await?;
    for admin in admins.into_iter().filter(|a| without.contains(a)) {
        app::ssr::service::accounts::set_password(state, &admin, password).await?;
        tracing::info!(%admin, "set the admin's password from GENJIN_ADMIN_PASSWORD");
    }
    Ok(())
}

/// How long a client may take to send a request's body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The whole HTTP app: the API and the server-rendered pages, behind the web's defences
/// (cross-site checks, body limits and timeouts, security headers).
pub fn build_app(state: AppState) -> Router {
    use app::ssr::defence::{csrf, headers};
    use tower_http::limit::RequestBodyLimitLayer;
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, headers::provide_page_policy, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Server functions read their bodies themselves: bounded here.
        .layer(RequestBodyLimitLayer::new(api::BODY_LIMIT));
    let public_origin = state.public_origin.clone();
    Router::new()
        .merge(api::router())
        .merge(api::intake::public_router(state.clone()))
        .merge(app::ssr::admin::router())
        .merge(app::ssr::today::routes())
        .merge(app::ssr::feedback_page::routes())
        .merge(app::ssr::score_review::routes())
        .merge(app::ssr::plan_page::routes())
        .merge(app::ssr::evaluation::routes())
        .merge(embed::routes())
        .merge(pages)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(public_origin, csrf::guard))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(axum::middleware::from_fn(headers::secure))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Unknown paths: under `/api/` the API's JSON error, elsewhere a static file or the app's
/// not-found page.
async fn fallback(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if req.uri().path().starts_with("/api/") {
        return api::no_such_endpoint().await.into_response();
    }
    let handler = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        app::ssr::defence::headers::provide_page_policy,
        shell,
    );
    let uri = req.uri().clone();
    handler(uri, axum::extract::State(state), req).await
}

#[cfg(test)]
mod tests;
