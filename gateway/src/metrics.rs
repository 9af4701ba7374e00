//! The gateway's Prometheus metrics, served at `GET /metrics` (OpenMetrics text).

use prometheus_client::{
	encoding::text::encode,
	metrics::{
		counter::Counter,
		family::Family,
		gauge::Gauge,
		histogram::{exponential_buckets, Histogram},
	},
	registry::Registry,
};

/// One label, e.g. `[("reason", "bad-signature")]`.
pub type Label = [(&'static str, &'static str); 1];

/// Every metric the gateway exports.
pub struct Metrics {
	registry: Registry,
	/// Readings received, by transport (`http`, `mqtt`).
	pub received: Family<Label, Counter>,
	/// Readings refused, by reason.
	pub refused: Family<Label, Counter>,
	/// Readings stored.
	pub stored: Counter,
	/// Readings received again after they were stored (retries).
	pub duplicates: Counter,
	/// Batches built.
	pub batches_built: Counter,
	/// Readings put in batches.
	pub readings_batched: Counter,
	/// Anchor submissions, by outcome (`pooled`, `refused`, `error`).
	pub submissions: Family<Label, Counter>,
	/// Batches whose anchor is finalized.
	pub batches_finalized: Counter,
	/// Seconds from a batch's oldest reading to its finalized anchor.
	pub reading_to_finality: Histogram,
	/// Seconds from building a batch to seeing its anchor in a block.
	pub batch_to_block: Histogram,
	/// The best block the gateway follows.
	pub best_block: Gauge,
	/// The finalized block the gateway follows.
	pub finalized_block: Gauge,
	/// Best minus finalized block number.
	pub chain_lag_blocks: Gauge,
	/// Readings not in a batch yet.
	pub unbatched: Gauge,
	/// Batches whose anchor is not finalized yet.
	pub open_batches: Gauge,
}

impl Metrics {
	/// Registers every metric under the `viot_gateway` prefix.
	pub fn new() -> Self {
		let mut registry = Registry::with_prefix("viot_gateway");
		let seconds = || Histogram::new(exponential_buckets(0.25, 2.0, 10));
		let metrics = Self {
			received: Family::default(),
			refused: Family::default(),
			stored: Counter::default(),
			duplicates: Counter::default(),
			batches_built: Counter::default(),
			readings_batched: Counter::default(),
			submissions: Family::default(),
			batches_finalized: Counter::default(),
			reading_to_finality: seconds(),
			batch_to_block: seconds(),
			best_block: Gauge::default(),
			finalized_block: Gauge::default(),
			chain_lag_blocks: Gauge::default(),
			unbatched: Gauge::default(),
			open_batches: Gauge::default(),
			registry: Registry::default(),
		};
		registry.register(
			"readings_received",
			"Readings received, by transport",
			metrics.received.clone(),
		);
		registry.register(
			"readings_refused",
			"Readings refused, by reason",
			metrics.refused.clone(),
		);
		registry.register("readings_stored", "Readings stored", metrics.stored.clone());
		registry.register(
			"readings_duplicate",
			"Readings received again after they were stored",
			metrics.duplicates.clone(),
		);
		registry.register(
			"batches_built",
			"Batches built",
			metrics.batches_built.clone(),
		);
		registry.register(
			"readings_batched",
			"Readings put in batches",
			metrics.readings_batched.clone(),
		);
		registry.register(
			"anchor_submissions",
			"Anchor submissions, by outcome",
			metrics.submissions.clone(),
		);
		registry.register(
			"batches_finalized",
			"Batches whose anchor is finalized",
			metrics.batches_finalized.clone(),
		);
		registry.register(
			"reading_to_finality_seconds",
			"Seconds from a batch's oldest reading to its finalized anchor",
			metrics.reading_to_finality.clone(),
		);
		registry.register(
			"batch_to_block_seconds",
			"Seconds from building a batch to seeing its anchor in a block",
			metrics.batch_to_block.clone(),
		);
		registry.register(
			"best_block",
			"Best block number",
			metrics.best_block.clone(),
		);
		registry.register(
			"finalized_block",
			"Finalized block number",
			metrics.finalized_block.clone(),
		);
		registry.register(
			"chain_lag_blocks",
			"Best minus finalized block number",
			metrics.chain_lag_blocks.clone(),
		);
		registry.register(
			"unbatched_readings",
			"Readings not in a batch yet",
			metrics.unbatched.clone(),
		);
		registry.register(
			"open_batches",
			"Batches whose anchor is not finalized yet",
			metrics.open_batches.clone(),
		);
		Self {
			registry,
			..metrics
		}
	}

	/// The metrics in the OpenMetrics text format.
	pub fn render(&self) -> String {
		let mut text = String::new();
		encode(&mut text, &self.registry).expect("writing to a String does not fail");
		text
	}
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_metric_is_exported_under_the_prefix() {
		let metrics = Metrics::new();
		metrics
			.received
			.get_or_create(&[("transport", "mqtt")])
			.inc_by(3);
		metrics
			.refused
			.get_or_create(&[("reason", "replayed")])
			.inc();
		metrics.reading_to_finality.observe(1.5);
		metrics.chain_lag_blocks.set(2);
		let text = metrics.render();
		assert!(text.contains("viot_gateway_readings_received_total{transport=\"mqtt\"} 3"));
		assert!(text.contains("viot_gateway_readings_refused_total{reason=\"replayed\"} 1"));
		assert!(text.contains("viot_gateway_reading_to_finality_seconds_count 1"));
		assert!(text.contains("viot_gateway_chain_lag_blocks 2"));
		assert!(text.ends_with("# EOF\n"));
	}
}
