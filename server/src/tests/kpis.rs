//! The KPIs: rebuilt from the database after a restart, and query errors that name the parameter.
use super::common::{assert_close, fixture, TestServer, ADMIN};
use axum::http::StatusCode;

#[tokio::test]
async fn the_kpis_survive_a_restart_because_the_view_is_rebuilt_from_the_database() {
    let s = TestServer::with_sample().await;
    // Read in one transaction (beside other app servers) and table by table at once (alone on
    // an embedded database): the same views.
    let one_moment = crate::repo::view::load(&s.state.db).await.unwrap();
    let alone = crate::repo::view::load_alone(&s.state.db).await.unwrap();
    for (how, (rebuilt, board)) in [("one moment", one_moment), ("alone", alone)] {
        // The board index is rebuilt too, card for card.
        assert_eq!(board.len(), 600, "{how}");
        let live = s.state.index.read().await;
        assert_eq!(board.len(), live.len(), "{how}");
        let owned = live.cards().filter(|c| c.owner_name.is_some()).count();
        assert!(owned > 500, "{how}: the sample's leads have owners ({owned})");
        for card in live.cards() {
            assert_eq!(board.get(&card.code), Some(card), "{how}: {}", card.code);
            let tasks = |index: &app::ssr::index::LeadIndex| {
                let mut tasks = index.open_tasks_of(&card.code);
                tasks.sort_by(|a, b| a.id.cmp(&b.id));
                tasks
            };
            assert_eq!(tasks(&board), tasks(&live), "{how}: {}", card.code);
        }
        drop(live);
        let settings = app::settings::WorkspaceSettings::default();
        let period = app::kpi::Period::parse("2024-01-01", "2024-07-01", settings.tz()).unwrap();
        let report = app::kpi::compute(&rebuilt, &period, app::kpi::Dimension::parse("owner"), &settings, |_| true);
        assert_close(
            &serde_json::to_value(report).unwrap(),
            &fixture("expected-kpis-2024-01-01_2024-07-01-by-owner.json"),
            &format!("rebuilt, {how}"),
        );
    }
}

#[tokio::test]
async fn kpi_query_errors_name_the_parameter() {
    let s = TestServer::new().await;
    for (q, field) in [
        ("from=2024-13-01&to=2024-02-01", "from"),
        ("from=2024-01-01", "to"),
        ("from=2024-02-01&to=2024-01-01", "to"),
        ("from=2024-01-01&to=2024-02-01&by=colour", "by"),
    ] {
        let a = s.get(ADMIN, &format!("/api/v1/kpis?{q}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], field, "{q}");
    }
}
