//! Customer value on the lead's pages (PRODUCT.md §8): the lead page's card — activity and its
//! tier, the conversion potential with each factor's share, the lifetime value — and the lead
//! form's live potential, recomputed by the shared model as the user types.
use crate::domain::enums::{Source, Tier};
use crate::i18n::Lang;
use crate::scoring::Score;
use crate::server_fns::leads::potential_inputs;
use crate::value::workspace::factor_label;
use crate::value::{LeadValue, Potential, PotentialInputs};
use crate::wire::WireResource;
use leptos::prelude::*;

crate::texts! {
    Title: "客户价值", "Customer value";
    Activity: "活跃度", "Activity";
    Potential: "转化潜力", "Conversion potential";
    Clv: "客户生命周期价值", "Lifetime value";
    NoOrders: "暂无订单", "No orders yet";
    Logistic: "按本工作区已结案线索拟合的模型；各因素对成交几率的影响：", "From the model fitted on this workspace's closed leads; each factor's pull on the odds:";
    GradeRate: "已结案线索尚不足 200 条，取该等级的历史赢单率。", "Fewer than 200 closed leads yet: the grade's historical win rate.";
    Unknown: "暂无可参考的已结案线索", "No closed leads to go by yet";
    More: "价值分析", "Value analysis";
}

/// How many factors are drawn (the largest).
const SHOWN: usize = 6;

pub(crate) fn tier_class(t: Tier) -> &'static str {
    match t {
        Tier::Active => "tier active",
        Tier::Potential => "tier potential",
        Tier::Dormant => "tier dormant",
    }
}

/// A lead's tier as a small badge, its score in the tooltip (the leads list, the board card).
pub fn tier_badge(a: crate::value::activity::Activity, l: Lang) -> impl IntoView {
    view! {
        <span class=tier_class(a.tier) data-tier=a.tier.key() title=format!("{} {}/100", t(l, T::Activity), a.score)>
            {a.tier.label(l)}
        </span>
    }
}

/// The probability, where it comes from, and the largest factors as bars (pulling up or down).
fn potential_view(p: &Potential, l: Lang) -> impl IntoView {
    let probability = p.probability.map_or_else(|| "—".to_string(), crate::format::percent);
    let note = match (p.model.as_str(), p.probability) {
        ("logistic", _) => T::Logistic,
        (_, Some(_)) => T::GradeRate,
        _ => T::Unknown,
    };
    let largest = p.factors.first().map_or(1.0, |f| f.contribution.abs()).max(1e-9);
    let bars = p
        .factors
        .iter()
        .take(SHOWN)
        .map(|f| {
            // A whole percentage: formatting a float would bring the float printer into the wasm.
            let width = (f.contribution.abs() / largest * 100.0).min(100.0).round() as u32;
            let class = if f.contribution >= 0.0 { "factor plus" } else { "factor minus" };
            let sign = if f.contribution >= 0.0 { "+" } else { "−" };
            view! {
                <li class=class data-factor=f.name.clone()>
                    <span class="name">{factor_label(&f.name, l)}</span>
                    <span class="track"><span class="bar" style=format!("width:{width}%")></span></span>
                    <span class="amount">{sign}{crate::format::fixed(f.contribution.abs(), 2)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="potential-value"><b class="probability">{probability}</b></p>
        <p class="hint potential-note">{t(l, note)}</p>
        <ul class="factors">{bars}</ul>
    }
}

/// The lead page's value card.
pub fn value_card(v: &LeadValue, l: Lang) -> impl IntoView {
    let tier = v.activity.tier;
    view! {
        <section class="card value-card" aria-labelledby="value-title">
            <h2 id="value-title">{t(l, T::Title)}</h2>
            <p class="value-row">
                <span>{t(l, T::Activity)}</span>
                <b class="activity-score">{v.activity.score}</b>"/100 "
                <span class=tier_class(tier)>{tier.label(l)}</span>
            </p>
            <h3>{t(l, T::Potential)}</h3>
            {potential_view(&v.potential, l)}
            <p class="value-row">
                <span>{t(l, T::Clv)}</span>
                <b class="clv">{v.clv.map_or_else(|| t(l, T::NoOrders).to_string(), crate::format::cny)}</b>
            </p>
            <a href="/value" rel="external" class="value-more">{t(l, T::More)}</a>
        </section>
    }
}

/// What the lead form computes the potential with (for the lead `code`, none for a new one), as
/// a page resource: created with the page, before anything waits, so that the browser finds
/// what the server sent when it hydrates the form (a resource made inside the form, once the
/// lead has loaded, may be numbered differently on the server, whose boundaries run at once).
pub fn potential_resource(
    code: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> WireResource<Result<PotentialInputs, crate::error::UiError>> {
    crate::wire::resource(code, potential_inputs)
}

/// The lead form's conversion potential: recomputed from the live score and the chosen source
/// as the user types, with the model the server fitted (`inputs`, loaded with the page).
#[component]
pub fn LivePotential(
    inputs: WireResource<Result<PotentialInputs, crate::error::UiError>>,
    score: Memo<Score>,
    source: Signal<String>,
) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <div class="potential-live" aria-live="polite">
            <h3>{move || t(lang.get(), T::Potential)}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(inputs) = inputs.await else { return ().into_any() };
                    (move || {
                        let source = Source::parse(&source.get()).unwrap_or(Source::Other);
                        potential_view(&inputs.potential(&score.get(), source), lang.get())
                    })
                    .into_any()
                })}
            </Transition>
        </div>
    }
}
