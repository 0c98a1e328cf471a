// Topic names, shared by the outbox (which refuses a bad one) and the buses (which route by them). A file of its
// own so that neither imports the other (outbox.ts and bus.ts used to import each other).

// `domain.past_tense`: lower-case tokens joined by dots, at least two of them. They become NATS subject tokens.
const TOPIC_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** True for a topic every bus can carry: `domain.past_tense`, lower case, e.g. `order.completed`. */
export function isValidTopic(topic: string): boolean {
  return TOPIC_RE.test(topic);
}
