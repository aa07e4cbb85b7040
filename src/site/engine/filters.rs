//! The Tera built-ins that need Tera's `builtins` feature (not enabled,
//! to keep chrono-tz and rand out of the build), reimplemented: the `date`
//! and `slugify` filters and a deterministic `now()`.

use std::collections::HashMap;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::Value;
use tera::Tera;

pub fn register(tera: &mut Tera, build_time: NaiveDateTime) {
    tera.register_filter("date", date);
    tera.register_filter("slugify", slugify);
    tera.register_function("now", move |args: &HashMap<String, Value>| {
        now(build_time, args)
    });
}

fn slugify(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or("the slugify filter expects a string")?;
    Ok(Value::String(slug::slugify(text)))
}

/// `now()` is the build time (from SOURCE_DATE_EPOCH when set), so
/// output stays reproducible. `timestamp=true` gives seconds.
fn now(build_time: NaiveDateTime, args: &HashMap<String, Value>) -> tera::Result<Value> {
    if args
        .get("timestamp")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        return Ok(Value::from(build_time.and_utc().timestamp()));
    }
    Ok(Value::String(build_time.and_utc().to_rfc3339()))
}

/// Tera's `date(format=...)` on a timestamp, an RFC 3339 date-time, a
/// naive date-time or a `YYYY-MM-DD` date.
fn date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    if args.contains_key("timezone") || args.contains_key("locale") {
        return Err("the date filter's timezone and locale arguments are not supported by the builtin engine".into());
    }
    let format = match args.get("format") {
        Some(Value::String(f)) => f.as_str(),
        Some(_) => return Err("date: `format` must be a string".into()),
        None => "%Y-%m-%d",
    };
    let items: Vec<Item> = StrftimeItems::new(format).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(format!("date: invalid format {format:?}").into());
    }
    let text = match value {
        Value::Number(n) => {
            let secs = n.as_i64().ok_or("date: expected an integer timestamp")?;
            let t = DateTime::from_timestamp(secs, 0).ok_or("date: timestamp out of range")?;
            t.naive_utc().format_with_items(items.iter()).to_string()
        }
        Value::String(s) if s.contains('T') => match s.parse::<DateTime<FixedOffset>>() {
            Ok(t) => t.format_with_items(items.iter()).to_string(),
            Err(_) => s
                .parse::<NaiveDateTime>()
                .map_err(|_| format!("date: cannot parse {s:?} as a date-time"))?
                .and_utc()
                .format_with_items(items.iter())
                .to_string(),
        },
        Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| format!("date: cannot parse {s:?} as YYYY-MM-DD"))?
            .and_hms_opt(0, 0, 0)
            .ok_or("date: invalid time")?
            .and_utc()
            .format_with_items(items.iter())
            .to_string(),
        other => {
            return Err(format!("date: expected a date string or timestamp, got {other}").into())
        }
    };
    Ok(Value::String(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fmt(v: Value, f: &str) -> tera::Result<Value> {
        let mut args = HashMap::new();
        args.insert("format".to_string(), json!(f));
        date(&v, &args)
    }

    #[test]
    fn formats_dates_like_tera() {
        assert_eq!(
            fmt(json!("2026-06-30"), "%B %-d, %Y").unwrap(),
            json!("June 30, 2026")
        );
        assert_eq!(
            fmt(json!("2026-06-30"), "%+").unwrap(),
            json!("2026-06-30T00:00:00+00:00")
        );
        assert_eq!(fmt(json!(0), "%Y").unwrap(), json!("1970"));
        assert!(fmt(json!("2026-06-30"), "%Q").is_err());
        assert!(fmt(json!("June"), "%Y").is_err());
    }
}
