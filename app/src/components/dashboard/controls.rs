//! The dashboard's head: its title, the live indicator, the period and slice pickers and the
//! quick periods.
use super::names::dimension_name;
use super::period_input::on_range_change;
use crate::components::live::Live;
use crate::kpi::dashboard_state::DashState;
use crate::kpi::present::period_text;
use crate::kpi::presets::{Preset, RangeEnd};
use crate::kpi::Dimension;
use crate::ui::use_ui;
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

crate::texts! {
    Title: "跟进成效看板", "Follow-up performance";
    From: "开始日期", "From";
    To: "结束日期（含）", "To (inclusive)";
    By: "分组", "Slice by";
    ByNone: "不分组", "No slice";
    ThisMonth: "本月", "This month";
    LastMonth: "上月", "Last month";
    ThisQuarter: "本季度", "This quarter";
    LastQuarter: "上季度", "Last quarter";
    Last30: "近30天", "Last 30 days";
    Last90: "近90天", "Last 90 days";
    Presets: "快捷时段", "Quick periods";
    BadRange: "开始日期需早于结束日期。", "The start date must come before the end date.";
    BadLink: "链接中的日期无效，已显示默认时段（近90天）。", "The link's dates are not valid; showing the default period (last 90 days).";
    LiveOn: "实时更新中", "Live";
    LiveWait: "正在连接实时更新…", "Connecting for live updates…";
    LiveLost: "实时连接中断，正在重连…", "Live updates interrupted; reconnecting…";
    LiveHint: "线索有变动时，本页数据会自动刷新", "The numbers refresh by themselves when leads change";
}

/// A quick period's button label.
fn preset_label(preset: Preset) -> T {
    match preset {
        Preset::ThisMonth => T::ThisMonth,
        Preset::LastMonth => T::LastMonth,
        Preset::ThisQuarter => T::ThisQuarter,
        Preset::LastQuarter => T::LastQuarter,
        Preset::Last30 => T::Last30,
        Preset::Last90 => T::Last90,
    }
}

/// The period and slice pickers and the live indicator.
#[component]
pub fn Controls(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    today: NaiveDate,
    live: RwSignal<Live>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let problem = RwSignal::new(false);
    let set_from =
        on_range_change(state, go.clone(), problem, RangeEnd::First, |s| (s.from, s.to), DashState::with_period);
    let set_to =
        on_range_change(state, go.clone(), problem, RangeEnd::Last, |s| (s.from, s.to), DashState::with_period);
    let set_by = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let by = Dimension::parse(&event_target_value(&ev));
            go(state.get_untracked().with_by(by));
        }
    };
    let presets = Preset::ALL
        .into_iter()
        .map(|p| {
            let go = go.clone();
            let (from, to) = p.range(today);
            let active = move || state.with(|s| s.from == from && s.to == to);
            view! {
                <button type="button" class="preset" class:active=active aria-pressed=move || active().to_string()
                    on:click=move |_| {
                        problem.set(false);
                        go(state.get_untracked().with_period(from, to));
                    }>
                    {move || t(lang.get(), preset_label(p))}
                </button>
            }
        })
        .collect_view();
    let by_key = move || state.with(|s| s.by.map(|b| b.key()).unwrap_or(""));
    let dims = Dimension::ALL
        .into_iter()
        .map(|d| {
            view! { <option value=d.key() selected=move || by_key() == d.key()>{move || dimension_name(lang.get(), d)}</option> }
        })
        .collect_view();
    let from_value = move || state.with(|s| s.from.to_string());
    let to_value = move || state.with(|s| (s.to - Duration::days(1)).to_string());
    view! {
        <header class="card dash-controls">
            <div class="dash-head">
                <h1>{move || t(lang.get(), T::Title)}</h1>
                <span class=move || match live.get() { Live::On => "live on", Live::Connecting | Live::Paused => "live", Live::Lost | Live::Ended => "live lost" }
                    title=move || t(lang.get(), T::LiveHint) role="status">
                    <i aria-hidden="true"></i>
                    {move || match live.get() {
                        Live::On => t(lang.get(), T::LiveOn),
                        Live::Connecting | Live::Paused => t(lang.get(), T::LiveWait),
                        Live::Lost | Live::Ended => t(lang.get(), T::LiveLost),
                    }}
                </span>
            </div>
            <p class="dash-period" data-testid="period">{move || state.with(|s| period_text(s.from, s.to, lang.get()))}</p>
            <div class="dash-pickers">
                <label class="field">
                    <span>{move || t(lang.get(), T::From)}</span>
                    <input type="date" data-testid="from" value=from_value prop:value=from_value on:change=set_from/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), T::To)}</span>
                    <input type="date" data-testid="to" value=to_value prop:value=to_value on:change=set_to/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), T::By)}</span>
                    <select data-testid="by" prop:value=by_key on:change=set_by>
                        <option value="" selected=move || by_key().is_empty()>{move || t(lang.get(), T::ByNone)}</option>
                        {dims}
                    </select>
                </label>
            </div>
            <div class="presets" role="group" aria-label=move || t(lang.get(), T::Presets)>{presets}</div>
            <Show when=move || problem.get()>
                <p class="form-error" role="alert">{move || t(lang.get(), T::BadRange)}</p>
            </Show>
            <Show when=move || state.with(|s| s.bad_link)>
                <p class="form-error" role="alert">{move || t(lang.get(), T::BadLink)}</p>
            </Show>
        </header>
    }
}
