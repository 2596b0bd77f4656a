//! The demo workspace: a believable sales organisation with six months of history, generated
//! from a fixed seed (so every run shows the same people and deals for a given day). The same
//! generator makes large bundles for benchmarks (`genjin demo --leads 100000`).
use crate::error::ApiResult;
use crate::state::AppState;
use app::domain::enums::*;
use app::scoring::{self, ScoreInputs};
use app::settings::WorkspaceSettings;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚",
    "桂英", "建华", "晓东", "海燕", "志强", "丽华", "文博", "思远", "雨欣", "子涵", "浩然",
];
const CITIES: &[(&str, &str)] = &[
    ("上海", "华东"),
    ("杭州", "华东"),
    ("南京", "华东"),
    ("苏州", "华东"),
    ("宁波", "华东"),
    ("北京", "华北"),
    ("天津", "华北"),
    ("石家庄", "华北"),
    ("济南", "华北"),
    ("广州", "华南"),
    ("深圳", "华南"),
    ("东莞", "华南"),
    ("厦门", "华南"),
    ("武汉", "华中"),
    ("长沙", "华中"),
    ("郑州", "华中"),
    ("成都", "西南"),
    ("重庆", "西南"),
    ("西安", "西北"),
    ("沈阳", "东北"),
];
const WORDS: &[&str] = &[
    "华信", "博源", "嘉和", "恒通", "瑞丰", "金石", "启明", "天成", "新程", "云帆", "中科", "鼎盛", "宏达", "安泰",
    "卓越", "远景", "同创", "汇智", "明德", "长青",
];
const INDUSTRIES: &[(&str, &str, &[&str])] = &[
    ("制造业", "制造", &["降本增效、自动化设备", "生产线数字化改造", "设备联网与预测性维护"]),
    ("互联网", "网络科技", &["数据安全、服务器升级", "客服系统升级", "私有化部署与等保合规"]),
    ("金融", "金融服务", &["风控系统升级", "客户数据整合", "合规审计工具"]),
    ("零售", "商贸", &["会员营销平台", "门店库存管理", "全渠道订单系统"]),
    ("物流", "物流", &["运输调度优化", "仓储管理系统", "车队追踪"]),
    ("教育", "教育科技", &["在线教学平台", "校园信息化", "学员管理系统"]),
    ("医疗", "医疗科技", &["医院信息系统对接", "医疗数据安全", "远程问诊平台"]),
];
/// The demo's strategy variants (PRODUCT.md §14's example): name and description.
const STRATEGIES: [(&str, &str); 2] = [
    ("高频跟进", "S/A 级线索每 1–2 天联系一次，电话与微信交替，保持热度。"),
    ("精准跟进", "每次联系前按 BANT 准备要点，只在有新信息或明确节点时联系，减少打扰。"),
];
const TITLES: &[&str] = &["总经理", "IT经理", "技术总监", "采购经理", "运营总监", "财务总监", "信息部主管", "副总裁"];
const SUMMARIES: &[&str] = &[
    "电话沟通需求，客户关注交付周期",
    "发送产品资料与案例，约定下周回访",
    "上门拜访，了解现有系统与痛点",
    "线上演示方案，客户技术团队参与",
    "微信跟进报价疑问",
    "邀请参加行业沙龙，现场交流",
    "确认预算与决策流程",
    "讨论合同条款与付款方式",
];
const REPLIES: &[&str] = &[
    "客户微信回复：资料已转给技术负责人",
    "客户来信询问实施周期",
    "客户微信追问价格明细",
    "客户回复：下周内部讨论后再联系",
    "客户发来现有流程说明，请我们评估",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn person(rng: &mut StdRng) -> String {
    format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN))
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

struct Rep {
    key: String,
    seniority: Seniority,
    team: usize,
}

/// A history bundle (API.md import format) of `leads` leads over the six months before `today`.
pub fn generate(leads: usize, seed: u64, today: DateTime<Utc>) -> Value {
    let mut rng = StdRng::seed_from_u64(seed);
    let settings = WorkspaceSettings::default();
    let teams = [("t1", "华东销售1组", "华东"), ("t2", "华北销售2组", "华北"), ("t3", "华南销售3组", "华南")];
    let mut reps = Vec::new();
    let mut rep_json = Vec::new();
    for (ti, (tkey, _, region)) in teams.iter().enumerate() {
        for (n, seniority) in
            [Seniority::Manager, Seniority::Senior, Seniority::Senior, Seniority::Junior, Seniority::Junior]
                .into_iter()
                .enumerate()
        {
            let key = format!("r{}{}", ti + 1, n + 1);
            let industries: Vec<&str> = (0..2).map(|_| pick(&mut rng, INDUSTRIES).0).collect();
            let mentor = (seniority == Seniority::Junior).then(|| format!("r{}{}", ti + 1, 2 + (n % 2)));
            rep_json.push(json!({"key": key, "name": person(&mut rng), "seniority": seniority, "team": tkey,
                                 "region": region, "industries": industries, "mentor": mentor}));
            reps.push(Rep { key, seniority, team: ti });
        }
    }
    let team_json: Vec<Value> = teams.iter().map(|(k, n, r)| json!({"key": k, "name": n, "region": r})).collect();

    let start = today - Duration::days(182);
    let span = (today - start).num_seconds();
    let mut lead_json = Vec::with_capacity(leads);
    let mut interactions = Vec::new();
    let mut stage_changes = Vec::new();
    let mut tasks = Vec::new();
    let mut feedback = Vec::new();
    let mut orders = Vec::new();
    let sources = [
        (Source::WebForm, 30),
        (Source::TradeShow, 22),
        (Source::Referral, 16),
        (Source::Social, 13),
        (Source::ColdCall, 15),
        (Source::Other, 4),
    ];
    let year = today.format("%Y");
    for n in 0..leads {
        let key = format!("d{n}");
        let code = format!("LX{year}D{:06}", n + 1);
        // Weighted choice of source.
        let mut roll = rng.random_range(0..100);
        let source = sources
            .iter()
            .find(|(_, w)| {
                let hit = roll < *w;
                roll -= if hit { 0 } else { *w };
                hit
            })
            .map_or(Source::Other, |s| s.0);
        let (city, region) = *pick(&mut rng, CITIES);
        let (industry, suffix, needs) = *pick(&mut rng, INDUSTRIES);
        let company = format!("{city}{}{suffix}有限公司", pick(&mut rng, WORDS));
        let employees: Option<u32> = rng.random_bool(0.92).then(|| (10f64.powf(rng.random_range(0.5..3.6))) as u32);
        let budget: Option<f64> = rng.random_bool(0.85).then(|| (rng.random_range(2.0..40.0f64) * 10_000.0).round());
        let decision_months: Option<u32> =
            rng.random_bool(0.85).then(|| *pick(&mut rng, &[1, 1, 2, 3, 3, 6, 6, 9, 12]));
        let decision_chain = if rng.random_bool(0.9) { Some(*pick(&mut rng, DecisionChain::ALL)) } else { None };
        let score =
            scoring::score(&ScoreInputs { employees, budget, decision_months, decision_chain }, &settings.scoring);
        let grade = score.grade;
        // Leads come in during working hours, Shanghai time, more of them recently.
        let offset = (span as f64 * rng.random::<f64>().powf(0.8)) as i64;
        let mut created = start + Duration::seconds(offset);
        let local_hour = (created + Duration::hours(8)).format("%H").to_string().parse::<i64>().unwrap_or(12);
        if !(8..20).contains(&local_hour) {
            created += Duration::hours(12);
        }
        if created >= today {
            created = today - Duration::minutes(rng.random_range(5..600));
        }
        // Owner: the region's team when there is one, the seniority for the grade.
        let team = teams.iter().position(|t| t.2 == region).unwrap_or(rng.random_range(0..3));
        let wanted = app::assignment::seniority_for(grade);
        let pool: Vec<&Rep> = reps.iter().filter(|r| r.team == team && r.seniority == wanted).collect();
        let owner = pool[rng.random_range(0..pool.len())];
        let assigned = created + Duration::minutes(rng.random_range(2..240));
        let advance_p = match grade {
            Grade::S => 0.86,
            Grade::A => 0.78,
            Grade::B => 0.66,
            Grade::C => 0.5,
        };
        let sla_hours = settings.sla.hours(grade);
        let mut t = assigned + Duration::minutes((rng.random_range(0.1..2.5) * sla_hours * 60.0) as i64);
        let mut status = Status::New;
        let mut won_at = None;
        let mut lost_at = None;
        let mut loss_reason = None;
        let mut deal_amount = None;
        let mut prev_interaction: Option<DateTime<Utc>> = None;
        let cadence = i64::from(settings.cadence.every(grade));
        let mut add_interaction = |rng: &mut StdRng,
                                   t: DateTime<Utc>,
                                   before: Status,
                                   after: Status,
                                   tasks: &mut Vec<Value>| {
            let late = rng.random_bool(0.12);
            let logged = t + if late {
                Duration::hours(rng.random_range(25..96))
            } else {
                Duration::minutes(rng.random_range(5..600))
            };
            let responded = rng.random_bool(if after != before { 0.95 } else { 0.7 });
            let satisfaction = rng.random_bool(0.35).then(|| *pick(rng, &[1, 2, 3, 3, 4, 4, 4, 5, 5]));
            let channel = *pick(rng, Channel::ALL);
            let direction = if rng.random_bool(0.82) { Direction::Outbound } else { Direction::Inbound };
            interactions.push(json!({
                "lead": key, "rep": owner.key, "occurred_at": at(t), "logged_at": at(logged.min(today)),
                "channel": channel, "direction": direction, "responded": responded, "satisfaction": satisfaction,
                "stage_before": before, "stage_after": after, "summary": pick(rng, SUMMARIES),
                "mood": pick(rng, Mood::ALL),
            }));
            // Customers who answered often write back later on WeChat or by email.
            let reply = t + Duration::minutes(rng.random_range(40..1_200));
            if direction == Direction::Outbound && responded && reply < today && rng.random_bool(0.7) {
                let channel = if rng.random_bool(0.8) { Channel::Wechat } else { Channel::Email };
                interactions.push(json!({
                    "lead": key, "rep": owner.key, "occurred_at": at(reply),
                    "logged_at": at((reply + Duration::minutes(rng.random_range(1..90))).min(today)),
                    "channel": channel, "direction": Direction::Inbound, "responded": true,
                    "stage_before": after, "stage_after": after, "summary": pick(rng, REPLIES),
                }));
            }
            if let Some(prev) = prev_interaction {
                let due = prev + Duration::days(cadence);
                let done = (t <= due + Duration::hours(12)).then_some(t);
                tasks.push(json!({"lead": key, "owner": owner.key, "kind": "follow_up", "due_at": at(due), "done_at": done.map(at)}));
            }
            prev_interaction = Some(t);
        };
        // Walk the pipeline: a few follow-ups per plan stage, then advance, stall or lose.
        'pipeline: for next in
            [Status::Contacted, Status::Qualified, Status::Proposal, Status::Negotiation, Status::Won]
        {
            let follow_ups = rng.random_range(1..=3);
            for i in 0..follow_ups {
                if t >= today {
                    break 'pipeline;
                }
                let last = i + 1 == follow_ups;
                let advances = last && rng.random_bool(advance_p);
                let closes_lost = last && !advances && rng.random_bool(0.55);
                let after = if advances && next != Status::Won { next } else { status };
                add_interaction(&mut rng, t, status, after, &mut tasks);
                if advances {
                    stage_changes.push(json!({"lead": key, "from": status, "to": next, "at": at(t), "by": owner.key}));
                    status = next;
                    if next == Status::Won {
                        won_at = Some(t);
                        let amount = (budget.unwrap_or(150_000.0) * rng.random_range(0.7..1.3) / 100.0).round() * 100.0;
                        deal_amount = Some(amount);
                        for o in 0..rng.random_range(1..=3) {
                            let ordered = t + Duration::days(o * rng.random_range(20..60));
                            if ordered < today {
                                let share = if o == 0 { 1.0 } else { rng.random_range(0.2..0.6) };
                                orders.push(json!({"lead": key, "amount": (amount * share).round(),
                                    "profit": (amount * share * rng.random_range(0.15..0.35)).round(), "ordered_at": at(ordered)}));
                            }
                        }
                        break 'pipeline;
                    }
                } else if closes_lost {
                    stage_changes
                        .push(json!({"lead": key, "from": status, "to": "lost", "at": at(t), "by": owner.key}));
                    status = Status::Lost;
                    lost_at = Some(t);
                    loss_reason = Some(*pick(&mut rng, LossReason::ALL));
                    break 'pipeline;
                }
                t += Duration::hours(rng.random_range(20..(cadence * 24 + 48)));
            }
        }
        if let Some(prev) = prev_interaction.filter(|_| !status.is_closed()) {
            // The next planned follow-up.
            tasks.push(json!({"lead": key, "owner": owner.key, "kind": "follow_up",
                              "due_at": at(prev + Duration::days(cadence)), "done_at": null}));
        }
        if prev_interaction.is_some() && rng.random_bool(0.15) {
            let received = prev_interaction.unwrap_or(assigned) - Duration::hours(rng.random_range(1..48));
            let resolved = rng.random_bool(0.7).then(|| received + Duration::hours(rng.random_range(4..200)));
            let confirmed =
                resolved.filter(|_| rng.random_bool(0.6)).map(|r| r + Duration::hours(rng.random_range(2..120)));
            let status = match (resolved, confirmed) {
                (Some(_), Some(_)) => "confirmed",
                (Some(_), None) => "resolved",
                _ => *pick(&mut rng, &["open", "in_progress"]),
            };
            feedback.push(json!({
                "lead": key, "received_at": at(received), "channel": pick(&mut rng, Channel::ALL),
                "type": pick(&mut rng, FeedbackType::ALL), "priority": pick(&mut rng, Priority::ALL),
                "summary": pick(&mut rng, &["对报价有疑虑", "希望缩短交付周期", "关注售后响应速度", "需要更多决策层材料"]),
                "status": status, "resolved_at": resolved.filter(|r| *r < today).map(at),
                "customer_confirmed_at": confirmed.filter(|c| *c < today).map(at),
                "satisfaction": rng.random_bool(0.6).then(|| rng.random_range(1..=5)),
                "why_chain": ["价格高于预期", "未看到投入产出测算"], "root_cause": "价值传递不足", "owner": owner.key,
            }));
        }
        let contact_name = person(&mut rng);
        lead_json.push(json!({
            "key": key, "code": code, "source": source, "company": company, "industry": industry, "region": region,
            "employees": employees, "contact_name": contact_name,
            "contact_title": rng.random_bool(0.85).then(|| *pick(&mut rng, TITLES)),
            "phone": rng.random_bool(0.9).then(|| format!("13{:09}", rng.random_range(0..1_000_000_000u64))),
            "email": rng.random_bool(0.6).then(|| format!("contact{n}@example.cn")),
            "need": rng.random_bool(0.9).then(|| *pick(&mut rng, needs)),
            "budget": budget, "decision_months": decision_months, "decision_chain": decision_chain,
            "strategy": rng.random_bool(0.5).then(|| if rng.random_bool(0.5) { STRATEGIES[0].0 } else { STRATEGIES[1].0 }),
            "tags": if rng.random_bool(0.3) { vec![*pick(&mut rng, &["重点客户", "老客户转介绍", "展会热线", "需二次跟进"])] } else { vec![] },
            "owner": owner.key, "created_at": at(created), "assigned_at": at(assigned.min(today)),
            "status": status, "won_at": won_at.map(at), "lost_at": lost_at.map(at),
            "deal_amount": deal_amount, "loss_reason": loss_reason,
        }));
    }
    json!({
        "teams": team_json, "reps": rep_json, "leads": lead_json, "interactions": interactions,
        "stage_changes": stage_changes, "tasks": tasks, "feedback": feedback, "orders": orders,
    })
}

/// How many demo leads (with their history) one import transaction writes.
const LEADS_PER_IMPORT: usize = 5_000;

/// The demo accounts' API tokens (demo workspace only; README lists them).
pub const DEMO_TOKENS: [(&str, &str); 3] =
    [("admin", "genjin-demo-admin"), ("r11", "genjin-demo-manager"), ("r14", "genjin-demo-rep")];

/// The demo accounts' password for signing in to the app (demo workspace only).
pub const DEMO_PASSWORD: &str = "genjin-demo";

/// Loads the demo workspace into an empty database: one without leads, teams or reps (the
/// bootstrap admin may exist). A workspace with real data is never touched. The workspace is
/// marked as a demo (the pages show it), and the demo password is given only to accounts
/// without one: a password that was set (`GENJIN_ADMIN_PASSWORD`) stands.
pub async fn load_into(state: &AppState, leads: usize, seed: u64) -> ApiResult<()> {
    if !crate::repo::users::is_empty_workspace(&state.db).await? {
        tracing::info!("the workspace already has data: the demo is not loaded into it");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let bundle = generate(leads, seed, Utc::now());
    // Large workspaces (benchmarks) go in as several bundles, so no single transaction has to
    // hold millions of records; each bundle is still all or nothing.
    let mut counts = app::domain::bundle::BundleCounts::default();
    let system = app::ssr::actor::Actor::system();
    for part in split(bundle, LEADS_PER_IMPORT) {
        counts += app::ssr::service::import::import(state, &system, &part).await?;
    }
    if crate::repo::users::role_holders(&state.db, Role::Admin).await?.is_empty() {
        crate::repo::users::create_user(&state.db, "admin", "管理员", Role::Admin, None, &[]).await?;
    }
    // The strategy variants the demo's leads are followed up by, given in turn to new leads.
    for (key, description) in STRATEGIES {
        let fields = app::domain::strategy::VariantFields {
            key: Some(key.to_string()),
            description: Some(description.to_string()),
            rotate: Some(true),
            ..Default::default()
        };
        app::ssr::service::strategies::create(state, &system, fields).await?;
    }
    for (user, token) in DEMO_TOKENS {
        crate::repo::users::add_token(&state.db, user, token, "demo").await?;
    }
    // Every demo account without a password signs in with the same documented one.
    let users = crate::repo::users::without_password(&state.db).await?;
    let hash = app::ssr::secrets::hash_password_blocking(DEMO_PASSWORD.to_string()).await?;
    crate::repo::sessions::set_password_hash(&state.db, &users, &hash).await?;
    crate::repo::settings::mark_demo(&state.db).await?;
    state.demo.store(true, std::sync::atomic::Ordering::Relaxed);
    state.share(app::ssr::peers::Committed::Demo).await;
    tracing::info!(?counts, elapsed = ?started.elapsed(), "demo workspace loaded");
    Ok(())
}

mod split;
pub use split::split;
