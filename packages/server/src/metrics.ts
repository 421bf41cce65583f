import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of the service: queue depth, job durations, failures, proofs per minute. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #recent: number[] = [];
  readonly jobDuration: Histogram<"model" | "backend">;
  readonly failures: Counter<"model">;
  readonly proofs: Counter<"model" | "backend">;

  constructor(depth: () => Promise<{ queued: number; running: number }>) {
    collectDefaultMetrics({ register: this.registry, prefix: "zk_service_" });
    this.jobDuration = new Histogram({
      name: "zk_job_duration_seconds",
      help: "Time from start to end of a successful proof job",
      labelNames: ["model", "backend"],
      buckets: [0.5, 1, 2, 5, 10, 20, 60, 120, 300],
      registers: [this.registry],
    });
    this.failures = new Counter({
      name: "zk_job_failures_total",
      help: "Jobs that failed",
      labelNames: ["model"],
      registers: [this.registry],
    });
    this.proofs = new Counter({
      name: "zk_proofs_total",
      help: "Proofs made",
      labelNames: ["model", "backend"],
      registers: [this.registry],
    });
    new Gauge({
      name: "zk_queue_depth",
      help: "Jobs waiting or running",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const d = await depth();
        this.set({ state: "queued" }, d.queued);
        this.set({ state: "running" }, d.running);
      },
    });
    const recent = this.#recent;
    new Gauge({
      name: "zk_proofs_per_minute",
      help: "Proofs finished in the last 60 seconds",
      registers: [this.registry],
      collect() {
        const since = Date.now() - 60_000;
        while (recent.length > 0 && recent[0]! < since) recent.shift();
        this.set(recent.length);
      },
    });
  }

  succeeded(model: string, backend: string, seconds: number): void {
    this.jobDuration.observe({ model, backend }, seconds);
    this.proofs.inc({ model, backend });
    this.#recent.push(Date.now());
  }

  failed(model: string): void {
    this.failures.inc({ model });
  }
}
