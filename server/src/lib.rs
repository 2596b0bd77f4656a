//! Genjin's server: configuration, database, REST API, live updates and the Leptos app.
#![recursion_limit = "256"]
pub mod api;
pub mod config;
pub mod demo;
pub mod embed;

pub use app::ssr::{auth, db, error, repo, state};

use app::ssr::peers::{Feed, Follow, Peers};
use app::{shell, App};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use state::AppState;
use std::sync::Arc;
use tokio::sync::{broadcast, RwLock};

/// Connects, migrates, bootstraps and loads the analytic view: everything before serving.
/// On a database server, the app server follows the changes of the others on it by live
/// query (`peers::Follow::default_for`).
pub async fn prepare(
    db_url: &str,
    admin_token: Option<&str>,
    leptos_options: LeptosOptions,
) -> Result<AppState, error::ApiError> {
    prepare_following(db_url, admin_token, leptos_options, Follow::default_for(db_url)).await
}

/// [`prepare`], following the other app servers on the database as `follow` says.
pub async fn prepare_following(
    db_url: &str,
    admin_token: Option<&str>,
    leptos_options: LeptosOptions,
    follow: Follow,
) -> Result<AppState, error::ApiError> {
    prepare_on(db::connect(db_url).await?, admin_token, leptos_options, follow).await
}

/// [`prepare_following`] on a database already connected (several app servers in one
/// process share an embedded one in the tests).
pub async fn prepare_on(
    db: db::Db,
    admin_token: Option<&str>,
    leptos_options: LeptosOptions,
    follow: Follow,
) -> Result<AppState, error::ApiError> {
    // Following starts before the views are read, so no change falls in between.
    let feed = Feed::open(&db, follow).await?;
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
    // Alone on an embedded database nothing writes while the views are read: each table in a
    // transaction of its own, all at once. Beside other app servers, one moment for all.
    let (view, index) =
        if follow == Follow::Off { repo::view::load_alone(&db).await? } else { repo::view::load(&db).await? };
    let value_model = repo::value::model(&db).await?.map(Arc::new);
    let (events, _) = broadcast::channel(1024);
    let revoked_embeds = repo::embeds::revoked_ids(&db).await?;
    let state = AppState {
        db: Arc::new(db),
        view: Arc::new(RwLock::new(view)),
        index: Arc::new(RwLock::new(index)),
        settings: Arc::new(RwLock::new(settings)),
        events,
        leptos_options,
        public_origin: std::env::var("GENJIN_PUBLIC_ORIGIN").ok().filter(|o| !o.is_empty()),
        streams: Default::default(),
        demo: Arc::new(std::sync::atomic::AtomicBool::new(demo)),
        value_model: Arc::new(std::sync::RwLock::new(value_model)),
        embeds: Default::default(),
        peers: Arc::new(Peers::new(follow)),
        stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
    };
    state.embeds.set_revoked(revoked_embeds);
    if let Some(feed) = feed {
        tracing::info!(?follow, origin = %state.peers.origin, "following the other app servers on the database");
        tokio::spawn(app::ssr::peers::run(state.clone(), feed));
        tokio::spawn(app::ssr::peers::clear_old(state.clone()));
    }
    Ok(state)
}

/// `genjin backup`: the whole workspace — schema, records, the migrations applied — written
/// to `file` with SurrealDB's export. Answers the file's size.
pub async fn backup(db_url: &str, file: &std::path::Path) -> Result<u64, String> {
    let db = db::open(&db::backup_url(db_url)).await.map_err(|e| format!("cannot open {db_url}: {e}"))?;
    backup_from(&db, file).await
}

/// Writes the workspace `db` holds to `file` (SurrealQL: schema and records).
pub async fn backup_from(db: &db::Db, file: &std::path::Path) -> Result<u64, String> {
    // Written beside and renamed: a failed backup never leaves a half file under the name.
    let partial = file.with_extension("partial");
    db.export(&partial).await.map_err(|e| format!("SurrealDB's export failed: {e}"))?;
    std::fs::rename(&partial, file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(std::fs::metadata(file).map(|m| m.len()).unwrap_or(0))
}

/// `genjin restore`: reads a backup into a database that holds no workspace yet.
pub async fn restore(file: &std::path::Path, db_url: &str) -> Result<(), String> {
    if !file.is_file() {
        return Err(format!("no backup at {}", file.display()));
    }
    let db = db::open(&db::backup_url(db_url)).await.map_err(|e| format!("cannot open {db_url}: {e}"))?;
    restore_into(&db, file).await.map_err(|e| format!("{db_url}: {e}"))
}

/// Reads a backup into `db`, which must hold no workspace yet.
pub async fn restore_into(db: &db::Db, file: &std::path::Path) -> Result<(), String> {
    let tables = async {
        let mut res = db.query("INFO FOR DB").await?;
        let info: Option<serde_json::Value> = res.take(0)?;
        Ok::<_, surrealdb::Error>(info.as_ref().and_then(|i| i["tables"].as_object()).map_or(0, |t| t.len()))
    };
    let tables = tables.await.map_err(|e| format!("cannot read the database: {e}"))?;
    if tables > 0 {
        return Err(format!("the database already holds a workspace ({tables} tables): restore into an empty one"));
    }
    db.import(file).await.map_err(|e| format!("SurrealDB's import failed: {e}"))
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
        // Static files (the wasm, the style) are compressed harder: they are fetched once and
        // kept; pages and JSON are made per request, and compressing them hard cost a tenth
        // of a loaded server's time.
        .fallback(axum::handler::Handler::layer(fallback, tower_http::compression::CompressionLayer::new()))
        .layer(axum::middleware::from_fn_with_state(public_origin, csrf::guard))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(axum::middleware::from_fn(headers::secure))
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
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
