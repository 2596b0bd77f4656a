//! `genjin`: serves a Genjin workspace, or prints a generated history bundle.
use axum::serve::ListenerExt as _;
use clap::Parser;
use genjin_server::config::{Command, Config};
use leptos::config::get_configuration;

/// See `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,surrealdb=warn,surrealkv=warn".into()),
        )
        .init();
    let config = Config::parse();
    if let Some(Command::Demo { leads, seed }) = config.command {
        let bundle = genjin_server::demo::generate(leads, seed, chrono::Utc::now());
        println!("{}", serde_json::to_string(&bundle).expect("bundle serialises"));
        return;
    }
    match &config.command {
        Some(Command::Backup { file }) => {
            match genjin_server::backup(&config.db, file).await {
                Ok(bytes) => println!("backed up {} to {} ({bytes} bytes)", config.db, file.display()),
                Err(e) => {
                    eprintln!("genjin: backup failed: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some(Command::Restore { file }) => {
            match genjin_server::restore(file, &config.db).await {
                Ok(()) => println!("restored {} into {}", file.display(), config.db),
                Err(e) => {
                    eprintln!("genjin: restore failed: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        _ => {}
    }
    if let Err(e) = serve(config).await {
        eprintln!("genjin: {e}");
        std::process::exit(1);
    }
    // Stopped and its database closed: exit without dropping what the runtime's tasks still
    // hold (the database's handles, dropped after the runtime would warn that they cannot
    // close a store that is closed already).
    std::process::exit(0);
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let mut leptos = get_configuration(None)?.leptos_options;
    if let Some(addr) = &config.addr {
        leptos.site_addr = addr.parse()?;
    }
    let addr = leptos.site_addr;
    let follow = config.follow.unwrap_or_else(|| app::ssr::peers::Follow::default_for(&config.db));
    // The operator reads why starting failed in full (an API answer never shows the database's text).
    let state = genjin_server::prepare_following(&config.db, config.admin_token.as_deref(), leptos, follow)
        .await
        .map_err(|e| match e {
            genjin_server::error::ApiError::Internal(detail) => format!("could not start: {detail}"),
            other => format!("could not start: {other}"),
        })?;
    if let Some(password) = config.admin_password.as_deref().filter(|p| !p.is_empty()) {
        genjin_server::set_first_admin_password(&state, password).await?;
    }
    if config.demo {
        genjin_server::demo::load_into(&state, config.demo_leads, config.demo_seed).await?;
    }
    // The routine's recurring tasks (C leads' monthly re-evaluation, S and A leads' weekly
    // touch), planned now and checked hourly; planning twice adds nothing.
    let planner = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match app::ssr::service::scores::plan_routine(&planner, chrono::Utc::now()).await {
                Ok(p) if p.reevaluate + p.weekly_touch == 0 => {}
                Ok(p) => {
                    tracing::info!(reevaluate = p.reevaluate, weekly_touch = p.weekly_touch, "routine tasks planned")
                }
                Err(e) => tracing::warn!("planning the routine's tasks failed: {e}"),
            }
            // The conversion potential's model, when the closed leads changed materially.
            if let Err(e) = app::ssr::service::value::refit_if_due(&planner, chrono::Utc::now()).await {
                tracing::warn!("fitting the conversion potential's model failed: {e}");
            }
        }
    });
    let stopping = state.clone();
    let app = genjin_server::build_app(state);
    // Pages stream in several writes: without TCP_NODELAY, Nagle's algorithm holds a page's
    // last bytes until the browser's delayed ACK (~40 ms on Linux).
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("could not set TCP_NODELAY: {e}");
        }
    });
    tracing::info!("Genjin listening on http://{addr}");
    // SIGTERM (or Ctrl-C): stop taking connections, end the open event streams, finish the
    // requests in flight (their writes commit and are answered), then exit.
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!("shutting down: ending event streams, finishing requests in flight");
            stopping.shut_down();
        })
        .await?;
    // Every request has been answered: the embedded database is flushed and closed, so the
    // next start reads its tables rather than replaying its log.
    app::ssr::db::close_embedded().await;
    tracing::info!("Genjin stopped");
    Ok(())
}

/// SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
