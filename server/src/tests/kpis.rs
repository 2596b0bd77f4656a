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

#[tokio::test]
async fn the_views_load_reads_every_record_of_a_table_once_whatever_its_key() {
    let s = TestServer::new().await;
    // The random ids Genjin and SurrealDB give, and keys of every other form a record may have.
    let keys = [
        "1",
        "42",
        "⟨0⟩",
        "⟨1⟩",
        "⟨10⟩",
        "⟨9zz⟩",
        "a",
        "m0x2k",
        "z",
        "zz",
        "⟨~⟩",
        "A",
        "Z",
        "⟨中文⟩",
        "⟨LX2026D000001⟩",
        "u'0193f1f5-0000-7000-8000-000000000000'",
        "[1, 2]",
        "{ a: 1 }",
    ];
    let mut sql = String::from("DEFINE TABLE probe SCHEMALESS; DEFINE TABLE code SCHEMALESS;");
    for key in keys {
        sql.push_str(&format!("CREATE probe:{key};"));
    }
    // Lead codes as Genjin makes them, which share a prefix.
    let codes: Vec<String> = (1..=300).map(|n| format!("LX2026D{:06}", n * 331)).collect();
    for code in &codes {
        sql.push_str(&format!("CREATE code:⟨{code}⟩;"));
    }
    s.state.db.query(sql).await.unwrap().check().unwrap();
    for (table, count) in [("probe", keys.len()), ("code", codes.len())] {
        let mut read: Vec<String> = Vec::new();
        let mut parts = 0;
        for range in crate::repo::view::ranges(&s.state.db, table).await.unwrap() {
            let mut res = s.state.db.query(format!("SELECT VALUE <string> id FROM {range}")).await.unwrap();
            let ids: Vec<String> = res.take(0).unwrap();
            parts += usize::from(!ids.is_empty());
            read.extend(ids);
        }
        let mut once = read.clone();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), read.len(), "{table}: no record is read twice: {read:?}");
        assert_eq!(read.len(), count, "{table}: every record is read: {read:?}");
        // Not read in one part: the codes in parts of a few each.
        assert!(parts >= 8, "{table}: {parts} parts");
    }
}
