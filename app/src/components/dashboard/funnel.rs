//! The dashboard's funnel card: how many of the period's new leads reached each stage.
use super::status::{error_view, loading};
use crate::components::charts::FunnelChart;
use crate::error::UiError;
use crate::kpi::KpiReport;
use crate::ui::use_ui;
use crate::wire::WireResource;
use leptos::prelude::*;

crate::texts! {
    Funnel: "销售漏斗", "Sales funnel";
    FunnelHint: "本时段新增线索曾到达各阶段的数量，右侧为逐级转化率", "How many of the period's new leads ever reached each stage; on the right, the step conversion";
}

/// The funnel of the period's report.
#[component]
pub fn FunnelCard(report: WireResource<Result<KpiReport, UiError>>) -> impl IntoView {
    let lang = use_ui().lang;
    view! {
        <section class="card dash-card" aria-labelledby="funnel-title">
            <h2 id="funnel-title">{move || t(lang.get(), T::Funnel)}</h2>
            <p class="hint">{move || t(lang.get(), T::FunnelHint)}</p>
            <Transition fallback=move || loading(lang)>
                {move || Suspend::new(async move {
                    match report.await {
                        Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                        Ok(r) => view! { <FunnelChart new_leads=r.total.new_leads steps=r.total.funnel.clone()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
