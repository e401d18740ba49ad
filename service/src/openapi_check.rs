//! A small JSON-Schema check of answers against a service's OpenAPI document: types
//! (nullability included), properties, required fields, items, enums and `$ref`s —
//! enough for the services' tests to catch a document that promises less than the API
//! answers.

use serde_json::Value;

/// The 200 schema of `GET template` in `doc`.
pub fn ok_schema<'a>(doc: &'a Value, template: &str) -> &'a Value {
    let schema =
        &doc["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "no 200 JSON schema for {template}");
    schema
}

/// The answers the shared HTTP edge (`serve`) gives any operation are documented with the
/// error envelope: 408 `request_timeout` on every operation, and on every one that takes
/// a body 415 `unsupported_media_type` and 503 `unavailable` (the cap on request-body
/// bytes in flight).
pub fn edge_answers_documented(doc: &Value) -> Result<(), String> {
    let paths = doc["paths"].as_object().ok_or("no paths")?;
    for (path, ops) in paths {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let mut needed = vec!["408"];
            if op.get("requestBody").is_some() {
                needed.extend(["415", "503"]);
            }
            for status in needed {
                let mut answer = &op["responses"][status];
                if let Some(name) = answer["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/responses/"))
                {
                    answer = &doc["components"]["responses"][name];
                }
                if answer.is_null() {
                    return Err(format!("{method} {path}: no {status} answer"));
                }
                let schema = &answer["content"]["application/json"]["schema"]["$ref"];
                if !schema.as_str().is_some_and(|r| r.contains("Error")) {
                    return Err(format!("{method} {path}: {status} without the envelope"));
                }
            }
        }
    }
    Ok(())
}

/// Checks `value` against `schema`; the error names the JSON path that breaks it.
pub fn conforms(value: &Value, schema: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return conforms(value, &doc["components"]["schemas"][name], doc, at);
    }
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let fits = allowed.is_empty()
        || allowed.contains(&kind)
        || (kind == "integer" && allowed.contains(&"number"));
    if !fits {
        return Err(format!(
            "{at}: {value} is {kind}, the document says {allowed:?}"
        ));
    }
    if let Some(options) = schema["enum"].as_array()
        && !value.is_null()
        && !options.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {options:?}"));
    }
    match value {
        Value::Object(fields) => {
            for (key, v) in fields {
                let sub = &schema["properties"][key];
                if !sub.is_null() {
                    conforms(v, sub, doc, &format!("{at}.{key}"))?;
                }
            }
            for key in schema["required"].as_array().into_iter().flatten() {
                let key = key.as_str().unwrap_or_default();
                if !fields.contains_key(key) {
                    return Err(format!("{at}: required {key} missing"));
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                conforms(v, &schema["items"], doc, &format!("{at}[{i}]"))?;
            }
        }
        _ => {}
    }
    Ok(())
}
