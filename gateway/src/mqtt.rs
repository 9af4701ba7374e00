//! The MQTT front end: subscribes to a broker's reading topic at QoS 1 in a persistent session
//! and acknowledges (PUBACK) each message only after its readings are stored or refused for
//! good. A message the gateway had not acknowledged when it stopped, even by `kill -9`, is
//! delivered again by the broker when it reconnects; a reading stored before is then a
//! duplicate and nothing is stored twice.
//!
//! A message is one reading (a JSON object) or up to 10,000 (an array), as `POST /readings`
//! takes them.

use anyhow::{anyhow, Context, Result};
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, Publish, QoS};
use std::sync::atomic::{AtomicU64, Ordering};
use std::{sync::Arc, time::Duration};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::{debug, info, warn};

use crate::ingest::{Ingest, ReadingIn, MAX_MESSAGE_BYTES, MAX_READINGS_PER_REQUEST};

/// Messages being checked and stored at once.
const CONCURRENT_MESSAGES: usize = 64;
/// KiB of received messages held at most (waiting or being stored), counting each message as
/// at least 1 KiB: 64 MiB.
const HELD_KIB: usize = 64 * 1_024;

/// Where and how to subscribe.
#[derive(Clone, Debug)]
pub struct MqttConfig {
	/// Broker host.
	pub host: String,
	/// Broker port.
	pub port: u16,
	/// Client id: the broker keeps the session (unacknowledged messages) under it.
	pub client_id: String,
	/// Topic filter, e.g. `viot/readings/#`.
	pub topic: String,
}

impl MqttConfig {
	/// From `mqtt://host:port` (or `host:port`).
	pub fn parse(url: &str, client_id: String, topic: String) -> Result<Self> {
		let address = url.strip_prefix("mqtt://").unwrap_or(url);
		let (host, port) = address
			.rsplit_once(':')
			.ok_or_else(|| anyhow!("--mqtt needs host:port, got {url}"))?;
		Ok(Self {
			host: host.to_string(),
			port: port.parse().context("--mqtt port")?,
			client_id,
			topic,
		})
	}
}

/// Readings of one message (an object or an array of objects), and how many of its items are
/// not readings.
fn readings_of(payload: &[u8]) -> Result<(Vec<ReadingIn>, usize), String> {
	let value: serde_json::Value =
		serde_json::from_slice(payload).map_err(|error| error.to_string())?;
	let items = match value {
		serde_json::Value::Array(items) => items,
		item => vec![item],
	};
	if items.len() > MAX_READINGS_PER_REQUEST {
		return Err(format!(
			"{} readings in one message; at most {MAX_READINGS_PER_REQUEST}",
			items.len()
		));
	}
	let count = items.len();
	let readings: Vec<ReadingIn> = items
		.into_iter()
		.filter_map(|item| serde_json::from_value(item).ok())
		.collect();
	let malformed = count - readings.len();
	Ok((readings, malformed))
}

/// What the message handlers share.
struct Handlers {
	ingest: Arc<Ingest>,
	client: AsyncClient,
	/// Messages being checked and stored.
	busy: Arc<Semaphore>,
	/// The broker connection: a handler acknowledges only on the connection its message came
	/// on (after a reconnection the broker delivers it again, and the packet id may be reused).
	connection: AtomicU64,
}

/// Checks and stores one message's readings (at most [`CONCURRENT_MESSAGES`] messages at once),
/// retrying while the failure is transient (no chain, store error), then acknowledges it on the
/// connection it came on. `_received` bounds the bytes of messages held.
async fn handle(
	handlers: Arc<Handlers>,
	publish: Publish,
	connection: u64,
	_received: OwnedSemaphorePermit,
) {
	let ingest = &handlers.ingest;
	let Ok(permit) = handlers.busy.clone().acquire_owned().await else {
		return;
	};
	match readings_of(&publish.payload) {
		Err(error) => {
			warn!(topic = %publish.topic, "refusing a message that holds no readings: {error}");
			ingest.count_malformed("mqtt", 1);
		}
		Ok((readings, malformed)) => {
			if malformed > 0 {
				warn!(topic = %publish.topic, malformed, "refusing items that are not readings");
				ingest.count_malformed("mqtt", malformed);
			}
			let mut pause = Duration::from_millis(200);
			let mut pending = readings;
			loop {
				let outcomes = ingest.submit("mqtt", &pending).await;
				let retry: Vec<ReadingIn> = pending
					.into_iter()
					.zip(&outcomes)
					.filter(|(_, outcome)| outcome.as_ref().is_err_and(|r| r.is_transient()))
					.map(|(reading, _)| reading)
					.collect();
				for outcome in &outcomes {
					if let Err(refusal) = outcome {
						if !refusal.is_transient() {
							debug!(topic = %publish.topic, "refused: {refusal}");
						}
					}
				}
				if retry.is_empty() {
					break;
				}
				tokio::time::sleep(pause).await;
				pause = (pause * 2).min(Duration::from_secs(5));
				pending = retry;
			}
		}
	}
	drop(permit);
	if handlers.connection.load(Ordering::SeqCst) != connection {
		debug!(topic = %publish.topic, "stored; the broker delivers it again on the new connection");
		return;
	}
	if let Err(error) = handlers.client.ack(&publish).await {
		warn!("acknowledging a message: {error}");
	}
}

/// Subscribes and handles messages until the process ends, reconnecting (1 s apart) when the
/// broker drops.
pub async fn run(config: MqttConfig, ingest: Arc<Ingest>) {
	let mut options = MqttOptions::new(&config.client_id, &config.host, config.port);
	options
		.set_keep_alive(Duration::from_secs(30))
		.set_clean_session(false)
		.set_manual_acks(true)
		.set_max_packet_size(MAX_MESSAGE_BYTES, 64 * 1024);
	// Room for an acknowledgement of every message held (at least 1 KiB each).
	let (client, mut events) = AsyncClient::new(options, HELD_KIB + 1_024);
	let handlers = Arc::new(Handlers {
		ingest,
		client: client.clone(),
		busy: Arc::new(Semaphore::new(CONCURRENT_MESSAGES)),
		connection: AtomicU64::new(0),
	});
	let held = Arc::new(Semaphore::new(HELD_KIB));
	info!(host = %config.host, port = config.port, topic = %config.topic, "MQTT: connecting");
	loop {
		match events.poll().await {
			Ok(Event::Incoming(Packet::ConnAck(ack))) => {
				handlers.connection.fetch_add(1, Ordering::SeqCst);
				info!(
					session_present = ack.session_present,
					"MQTT: connected to the broker"
				);
				// A new session has no subscription: make it (the request goes out with the
				// next poll).
				if !ack.session_present {
					let client = client.clone();
					let topic = config.topic.clone();
					tokio::spawn(async move {
						if let Err(error) = client.subscribe(topic, QoS::AtLeastOnce).await {
							warn!("MQTT: subscribing: {error}");
						}
					});
				}
			}
			// The event loop waits here only while 64 MiB of messages are held: it also sends
			// the acknowledgements (one per poll), and handlers finish without it, so it never
			// waits for itself.
			Ok(Event::Incoming(Packet::Publish(publish))) => {
				let kib = (publish.payload.len() / 1_024 + 1).min(HELD_KIB) as u32;
				let Ok(received) = held.clone().acquire_many_owned(kib).await else {
					return;
				};
				let connection = handlers.connection.load(Ordering::SeqCst);
				tokio::spawn(handle(handlers.clone(), publish, connection, received));
			}
			Ok(_) => {}
			Err(error) => {
				warn!("MQTT: {error}; reconnecting in 1 s");
				tokio::time::sleep(Duration::from_secs(1)).await;
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_message_holds_one_reading_or_an_array() {
		let one = br#"{"device":"01","digest":"02","sequence":1,"signature":"03"}"#;
		assert_eq!(readings_of(one).unwrap().0.len(), 1);
		let one = std::str::from_utf8(one).unwrap();
		let three = format!("[{one},{one},{{\"device\":1}}]");
		let (readings, malformed) = readings_of(three.as_bytes()).unwrap();
		assert_eq!((readings.len(), malformed), (2, 1));
		assert!(readings_of(b"not json").is_err());
		assert_eq!(
			MqttConfig::parse("mqtt://127.0.0.1:1883", "g".into(), "t".into())
				.unwrap()
				.port,
			1883
		);
		assert!(MqttConfig::parse("127.0.0.1", "g".into(), "t".into()).is_err());
	}
}
