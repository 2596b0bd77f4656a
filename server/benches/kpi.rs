//! Benchmarks of the pure code behind the dashboard and the live grade: the KPI engine over a
//! 100,000-lead workspace (the demo generator's history) and lead scoring.
//!
//! `cargo bench -p server --bench kpi` (set `GENJIN_BENCH_LEADS` for another size).
use app::domain::bundle::{Bundle, Existing};
use app::kpi::{compute, AnalyticView, Dimension, Period};
use app::scoring::{score, ScoreInputs};
use app::settings::WorkspaceSettings;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn workspace(leads: usize) -> (AnalyticView, chrono::DateTime<chrono::Utc>) {
    let today = chrono::DateTime::parse_from_rfc3339("2026-11-24T04:00:00Z").unwrap().to_utc();
    let json = genjin_server::demo::generate(leads, 2024, today);
    let bundle = Bundle::read(&json, &Existing::default()).expect("the demo bundle is valid");
    eprintln!(
        "workspace: {} leads, {} interactions, {} stage changes, {} tasks",
        bundle.leads.len(),
        bundle.interactions.len(),
        bundle.stage_changes.len(),
        bundle.tasks.len()
    );
    (AnalyticView::from_bundle(&bundle, &WorkspaceSettings::default().scoring), today)
}

fn kpis(c: &mut Criterion) {
    let leads = std::env::var("GENJIN_BENCH_LEADS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let (view, _) = workspace(leads);
    let settings = WorkspaceSettings::default();
    let quarter = Period::parse("2026-07-01", "2026-10-01", settings.tz()).unwrap();
    let mut group = c.benchmark_group(format!("kpis_{leads}_leads"));
    group.sample_size(20);
    group
        .bench_function("quarter_total", |b| b.iter(|| black_box(compute(&view, &quarter, None, &settings, |_| true))));
    group.bench_function("quarter_by_owner", |b| {
        b.iter(|| black_box(compute(&view, &quarter, Dimension::parse("owner"), &settings, |_| true)))
    });
    group.bench_function("quarter_one_team_by_source", |b| {
        b.iter(|| {
            black_box(compute(&view, &quarter, Dimension::parse("source"), &settings, |l| {
                l.facts.team.as_deref() == Some("t1")
            }))
        })
    });
    group.finish();
}

fn scoring(c: &mut Criterion) {
    let settings = WorkspaceSettings::default().scoring;
    let inputs = ScoreInputs {
        employees: Some(300),
        budget: Some(200_000.0),
        decision_months: Some(2),
        decision_chain: app::domain::enums::DecisionChain::parse("dm_identified"),
    };
    c.bench_function("score_one_lead", |b| b.iter(|| black_box(score(black_box(&inputs), &settings))));
}

criterion_group!(benches, scoring, kpis);
criterion_main!(benches);
