//! The HTTP API (axum):
//!
//! - `POST /readings`: one reading (a JSON object) or up to 10,000 (an array, at most 4 MiB;
//!   8 requests are read and checked at once, others wait). One reading:
//!   `202` when stored, else the refusal (`400` malformed, `403` unknown, suspended or revoked
//!   device or bad signature, `409` sequence number used, `503` retry later) with its `reason`.
//!   An array: `200` with one result per reading.
//! - `GET /readings/{digest}`: the verification bundles of the readings of `digest` (`404` if
//!   none).
//! - `GET /metrics`: Prometheus metrics. `GET /health`: the chain heads and the backlog
//!   (`503` while the gateway cannot check devices).

use axum::{
	body::Body,
	extract::{Path, State},
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use serde_json::{json, value::RawValue, Value};
use sp_core::H256;
use std::sync::{Arc, Mutex};
use viot_primitives::AccountId;

use crate::{
	bundle,
	chain::Chain,
	ingest::{Accepted, Ingest, ReadingIn, Refusal, MAX_MESSAGE_BYTES, MAX_READINGS_PER_REQUEST},
	metrics::Metrics,
	store::Store,
};

/// What the handlers share.
pub struct Api {
	/// The reading pipeline.
	pub ingest: Arc<Ingest>,
	/// A read-only connection to the store, for proofs.
	pub reader: Arc<Mutex<dyn Store>>,
	/// The metrics.
	pub metrics: Arc<Metrics>,
	/// The chain.
	pub chain: Arc<Chain>,
	/// The account that anchors the batches.
	pub gateway: AccountId,
	/// `POST /readings` bodies read and parsed at once ([`CONCURRENT_POSTS`]).
	pub posts: tokio::sync::Semaphore,
}

/// `POST /readings` requests read and checked at once; others wait.
pub const CONCURRENT_POSTS: usize = 8;

/// The API's routes.
pub fn router(api: Arc<Api>) -> Router {
	Router::new()
		.route("/readings", post(post_readings))
		.route("/readings/{digest}", get(get_readings))
		.route("/metrics", get(metrics))
		.route("/health", get(health))
		.with_state(api)
}

fn status_of(refusal: &Refusal) -> StatusCode {
	match refusal {
		Refusal::Malformed(_) => StatusCode::BAD_REQUEST,
		Refusal::UnknownDevice | Refusal::Suspended | Refusal::Revoked | Refusal::BadSignature => {
			StatusCode::FORBIDDEN
		}
		Refusal::SequenceReused => StatusCode::CONFLICT,
		Refusal::ChainUnavailable | Refusal::StoreFailed => StatusCode::SERVICE_UNAVAILABLE,
	}
}

/// One reading's result, as JSON.
pub fn result_json(outcome: &Result<Accepted, Refusal>) -> Value {
	match outcome {
		Ok(accepted) => json!({
			"status": "accepted",
			"id": accepted.id,
			"duplicate": accepted.duplicate,
		}),
		Err(refusal) => json!({
			"status": "refused",
			"reason": refusal.reason(),
			"message": refusal.to_string(),
		}),
	}
}

fn refused(status: StatusCode, message: String) -> Response {
	(
		status,
		Json(json!({ "status": "refused", "reason": "malformed", "message": message })),
	)
		.into_response()
}

async fn post_readings(State(api): State<Arc<Api>>, body: Body) -> Response {
	// Bodies are read and parsed a few requests at a time.
	let Ok(_permit) = api.posts.acquire().await else {
		return refused(StatusCode::SERVICE_UNAVAILABLE, "shutting down".into());
	};
	let Ok(bytes) = axum::body::to_bytes(body, MAX_MESSAGE_BYTES).await else {
		return refused(
			StatusCode::PAYLOAD_TOO_LARGE,
			format!("a request has at most {MAX_MESSAGE_BYTES} bytes"),
		);
	};
	let is_array = bytes
		.iter()
		.find(|byte| !byte.is_ascii_whitespace())
		.is_some_and(|byte| *byte == b'[');
	if !is_array {
		let reading: ReadingIn = match serde_json::from_slice(&bytes) {
			Ok(reading) => reading,
			Err(error) => {
				api.ingest.count_malformed("http", 1);
				return refused(StatusCode::BAD_REQUEST, error.to_string());
			}
		};
		let outcome = api
			.ingest
			.submit("http", std::slice::from_ref(&reading))
			.await
			.pop()
			.unwrap_or(Err(Refusal::StoreFailed));
		let status = match &outcome {
			Ok(_) => StatusCode::ACCEPTED,
			Err(refusal) => status_of(refusal),
		};
		return (status, Json(result_json(&outcome))).into_response();
	}
	// An array: counted before its items are parsed.
	let items: Vec<&RawValue> = match serde_json::from_slice(&bytes) {
		Ok(items) => items,
		Err(error) => return refused(StatusCode::BAD_REQUEST, error.to_string()),
	};
	if items.len() > MAX_READINGS_PER_REQUEST {
		return refused(
			StatusCode::PAYLOAD_TOO_LARGE,
			format!("at most {MAX_READINGS_PER_REQUEST} readings per request"),
		);
	}
	let parsed: Vec<Result<ReadingIn, String>> = items
		.into_iter()
		.map(|item| serde_json::from_str(item.get()).map_err(|error| error.to_string()))
		.collect();
	// The readings go to the pipeline; each malformed item keeps its place in the answer.
	let mut readings = Vec::with_capacity(parsed.len());
	let malformed: Vec<Option<String>> = parsed
		.into_iter()
		.map(|item| match item {
			Ok(reading) => {
				readings.push(reading);
				None
			}
			Err(error) => Some(error),
		})
		.collect();
	api.ingest
		.count_malformed("http", malformed.len() - readings.len());
	let mut stored = api.ingest.submit("http", &readings).await.into_iter();
	let results: Vec<Result<Accepted, Refusal>> = malformed
		.into_iter()
		.map(|item| match item {
			None => stored.next().unwrap_or(Err(Refusal::StoreFailed)),
			Some(error) => Err(Refusal::Malformed(error)),
		})
		.collect();
	let accepted = results.iter().filter(|r| r.is_ok()).count();
	Json(json!({
		"accepted": accepted,
		"refused": results.len() - accepted,
		"results": results.iter().map(result_json).collect::<Vec<_>>(),
	}))
	.into_response()
}

async fn get_readings(State(api): State<Arc<Api>>, Path(digest): Path<String>) -> Response {
	let Some(digest) = hex::decode(digest.strip_prefix("0x").unwrap_or(&digest))
		.ok()
		.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
		.map(H256)
	else {
		return refused(
			StatusCode::BAD_REQUEST,
			"the digest must be 32 bytes of hex".into(),
		);
	};
	let reader = api.reader.clone();
	let readings = tokio::task::spawn_blocking(move || {
		reader.lock().expect("not poisoned").readings_of(&digest)
	})
	.await;
	let readings = match readings {
		Ok(Ok(readings)) => readings,
		Ok(Err(error)) => return refused(StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}")),
		Err(error) => return refused(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
	};
	let status = if readings.is_empty() {
		StatusCode::NOT_FOUND
	} else {
		StatusCode::OK
	};
	(
		status,
		// Bundles are public and checked against the chain: any page may load them.
		[(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
		Json(bundle::bundles(
			&digest,
			&readings,
			api.chain.genesis,
			&api.gateway,
		)),
	)
		.into_response()
}

async fn metrics(State(api): State<Arc<Api>>) -> Response {
	(
		[(
			header::CONTENT_TYPE,
			"application/openmetrics-text; version=1.0.0; charset=utf-8",
		)],
		api.metrics.render(),
	)
		.into_response()
}

async fn health(State(api): State<Arc<Api>>) -> Response {
	let heads = *api.chain.heads().borrow();
	let current = api.chain.is_current();
	let reader = api.reader.clone();
	let backlog =
		tokio::task::spawn_blocking(move || reader.lock().expect("not poisoned").backlog())
			.await
			.ok()
			.and_then(Result::ok)
			.unwrap_or_default();
	let status = if current {
		StatusCode::OK
	} else {
		StatusCode::SERVICE_UNAVAILABLE
	};
	(
		status,
		Json(json!({
			"current": current,
			"best": heads.best.map(|(number, _)| number),
			"finalized": heads.finalized.map(|(number, _)| number),
			"unbatched": backlog.unbatched,
			"openBatches": backlog.open_batches,
			"genesisHash": format!("{:?}", api.chain.genesis),
			"gateway": sp_core::crypto::Ss58Codec::to_ss58check(&api.gateway),
		})),
	)
		.into_response()
}
