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
use std::{sync::Arc, time::Duration};
use tokio::sync::Semaphore;
use tracing::{debug, info, warn};

use crate::ingest::{Ingest, ReadingIn, MAX_READINGS_PER_REQUEST};

/// Messages being checked and stored at once; the broker's in-flight limit for the gateway's
/// client (Mosquitto's `max_inflight_messages`) bounds how many wait.
const CONCURRENT_MESSAGES: usize = 64;

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

/// Checks and stores one message's readings (at most [`CONCURRENT_MESSAGES`] messages at once),
/// retrying while the failure is transient (no chain, store error), then acknowledges it.
async fn handle(ingest: Arc<Ingest>, client: AsyncClient, publish: Publish, busy: Arc<Semaphore>) {
	let Ok(permit) = busy.acquire_owned().await else {
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
	if let Err(error) = client.ack(&publish).await {
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
		.set_max_packet_size(8 * 1024 * 1024, 64 * 1024);
	let (client, mut events) = AsyncClient::new(options, 10_000);
	let busy = Arc::new(Semaphore::new(CONCURRENT_MESSAGES));
	info!(host = %config.host, port = config.port, topic = %config.topic, "MQTT: connecting");
	loop {
		match events.poll().await {
			Ok(Event::Incoming(Packet::ConnAck(ack))) => {
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
			// The event loop never waits here: it also sends the acknowledgements, one per poll,
			// so a loop that stopped polling until messages were acknowledged would stall.
			Ok(Event::Incoming(Packet::Publish(publish))) => {
				tokio::spawn(handle(
					ingest.clone(),
					client.clone(),
					publish,
					busy.clone(),
				));
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
