//! The `change` handler shared by the dashboard's date inputs: the period's and the
//! comparison period's first and last day.
use crate::kpi::dashboard_state::DashState;
use crate::kpi::presets::{edited_range, RangeEnd};
use chrono::NaiveDate;
use leptos::prelude::*;

/// Sets one `end` of the period that `get` reads from the dashboard's state, through `set`,
/// and goes there; a day that would leave the period empty (or no day) raises `problem`.
pub fn on_range_change(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    problem: RwSignal<bool>,
    end: RangeEnd,
    get: fn(&DashState) -> (NaiveDate, NaiveDate),
    set: fn(&DashState, NaiveDate, NaiveDate) -> DashState,
) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    move |ev: leptos::ev::Event| {
        let s = state.get_untracked();
        match edited_range(get(&s), end, &event_target_value(&ev)) {
            Some((from, to)) => {
                problem.set(false);
                go(set(&s, from, to));
            }
            None => problem.set(true),
        }
    }
}
