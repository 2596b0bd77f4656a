//! Customer value's records: the conversion potential's model and a lead's orders.
use super::error::{RepoError, RepoResult};
use crate::ssr::db::Db;
use crate::value::{Model, Order};

/// The model as last fitted, if any.
pub async fn model(db: &Db) -> RepoResult<Option<Model>> {
    let mut res = db.query("SELECT VALUE doc FROM value_model:current").await?;
    let docs: Vec<String> = res.take(0)?;
    docs.first()
        .map(|doc| serde_json::from_str(doc).map_err(|e| RepoError::Decode(format!("value model: {e}"))))
        .transpose()
}

/// Keeps a newly fitted model (or forgets the model, when the closed leads fell below what it
/// needs), with its audit row, in one transaction.
pub async fn store_model(db: &Db, model: Option<&Model>, audit: crate::ssr::db::Doc) -> RepoResult<()> {
    let audit = audit.into_value();
    match model {
        Some(m) => {
            let doc = serde_json::to_string(m).map_err(|e| RepoError::Decode(e.to_string()))?;
            super::retrying(|| async {
                super::checked(
                    db.query(
                        "BEGIN; UPSERT value_model:current SET doc = $doc, fitted_at = $at, sample = $sample RETURN NONE;
                         CREATE audit CONTENT $audit RETURN NONE; COMMIT;",
                    )
                    .bind(("doc", doc.clone()))
                    .bind(("at", surrealdb::types::Value::Datetime(m.fitted_at.into())))
                    .bind(("sample", m.sample as i64))
                    .bind(("audit", audit.clone()))
                    .await?,
                )?;
                Ok(())
            })
            .await
        }
        None => {
            super::retrying(|| async {
                super::checked(
                    db.query("BEGIN; DELETE value_model:current; CREATE audit CONTENT $audit RETURN NONE; COMMIT;")
                        .bind(("audit", audit.clone()))
                        .await?,
                )?;
                Ok(())
            })
            .await
        }
    }
}

/// A lead's orders (a merge moved the merged lead's onto it).
pub async fn orders(db: &Db, code: &str) -> RepoResult<Vec<Order>> {
    let mut res = db
        .query("SELECT amount, profit, ordered_at FROM sales_order WHERE lead = type::record('lead', $code)")
        .bind(("code", code.to_string()))
        .await?;
    super::rows(&mut res, 0)
}
