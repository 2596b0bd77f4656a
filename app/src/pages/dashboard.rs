//! The KPI dashboard (跟进成效看板): every KPI of PRODUCT.md §7 for a period and a slice,
//! the funnel, weekly trends, a breakdown by the chosen dimension and the comparison with a
//! second period. The view lives in the URL (`from`, `to`, `by`, `cfrom`, `cto`), so a
//! reload or a shared link shows the same numbers, and it follows every change live.
use crate::components::dashboard::breakdown::BreakdownCard;
use crate::components::dashboard::comparison::ComparisonCard;
use crate::components::dashboard::controls::Controls;
use crate::components::dashboard::funnel::FunnelCard;
use crate::components::dashboard::tiles::KpiTiles;
use crate::components::dashboard::trends::TrendCard;
use crate::components::live::use_live_events;
use crate::kpi::dashboard_state::DashState;
use crate::kpi::presets::today_in;
use crate::kpi::Dimension;
use crate::server_fns::kpis::{load_kpis, load_trend};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::sync::{Arc, Mutex};

/// How long the page waits after a change before it reloads its numbers: a burst of changes
/// (an import, several moves) reloads them once.
const REFRESH_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    // Today in the workspace's time zone (its offset comes with the page: the browser carries
    // no time-zone database).
    let today = today_in(&crate::format::tz(), crate::format::now());
    let state = Memo::new(move |_| query.with(|q| DashState::read(|k| q.get(k), today)));
    let navigate = use_navigate();
    let go = move |next: DashState| {
        navigate(&format!("/dashboard?{}", next.query()), NavigateOptions { scroll: false, ..Default::default() });
    };

    let report = crate::wire::resource(
        move || state.with(|s| (s.from.to_string(), s.to.to_string(), s.by.map(|b| b.key().to_owned()))),
        |(from, to, by)| load_kpis(from, to, by),
    );
    let compare = crate::wire::resource(
        move || state.with(|s| (s.cfrom.to_string(), s.cto.to_string())),
        |(from, to)| load_kpis(from, to, None),
    );
    let trend = crate::wire::resource(
        move || state.with(|s| (s.from.to_string(), s.to.to_string())),
        |(from, to)| load_trend(from, to),
    );
    let people = crate::server_fns::board::people_resource(Signal::derive(move || {
        state.with(|s| matches!(s.by, Some(Dimension::Owner | Dimension::Team)))
    }));

    let refresh = debounced(move || {
        report.refetch();
        compare.refetch();
        trend.refetch();
    });
    // Every event — a changed lead, an import, a resync after a reconnection — may move the
    // numbers.
    let live = use_live_events(move |_| refresh());

    view! {
        <div class="dash">
            <Controls state=state go=go.clone() today=today live=live/>
            <KpiTiles report=report compare=compare/>
            <div class="dash-grid">
                <FunnelCard report=report/>
                <TrendCard trend=trend/>
            </div>
            <BreakdownCard state=state go=go.clone() report=report people=people/>
            <ComparisonCard state=state go=go report=report compare=compare/>
        </div>
    }
}

/// Calls `refresh` [`REFRESH_DELAY`] after the last of a burst of calls; a pending call is
/// dropped when the page closes.
fn debounced(refresh: impl Fn() + Clone + 'static) -> impl Fn() + Clone + 'static {
    let pending: Arc<Mutex<Option<TimeoutHandle>>> = Arc::default();
    on_cleanup({
        let pending = Arc::clone(&pending);
        move || {
            if let Some(timer) = pending.lock().ok().and_then(|mut p| p.take()) {
                timer.clear();
            }
        }
    });
    move || {
        let Ok(mut timer) = pending.lock() else { return };
        if let Some(earlier) = timer.take() {
            earlier.clear();
        }
        *timer = set_timeout_with_handle(refresh.clone(), REFRESH_DELAY).ok();
    }
}
