#!/usr/bin/env node
// Comunica as a user runs it against SPARQL endpoints: node query.js QUERY ENDPOINT [ENDPOINT...]
// An ENDPOINT written as auto@URL is left for Comunica to identify (from the service description the URL answers),
// as its command line does with a bare URL; any other is given as a SPARQL endpoint.
// Prints one JSON object: {"vars", "bindings"} for SELECT, {"boolean"} for ASK, {"triples"} for CONSTRUCT and
// DESCRIBE (terms in the SPARQL 1.1 JSON results shape), and "fetched": every URL Comunica asked for.
// Every request goes through a fetch that refuses any host but 127.0.0.1 and ::1, so the engine cannot reach
// anything else (no context or vocabulary lookups), whatever it tries.
'use strict';
const { QueryEngine } = require('@comunica/query-sparql');

const LOOPBACK = new Set(['127.0.0.1', '[::1]']);
const fetched = [];

function loopbackOnly(url) {
  if (!LOOPBACK.has(url.hostname)) throw new Error(`refused: ${url.href} is not on a loopback address`);
}

// Redirects are followed here, hop by hop, so that a Location off loopback is refused too.
async function loopbackFetch(input, init = {}) {
  let url = new URL(typeof input === 'string' ? input : input.url || String(input));
  let options = { ...init, redirect: 'manual' };
  for (let hop = 0; hop < 10; hop++) {
    const accept = options.headers && typeof options.headers.get === 'function' ? options.headers.get('accept') : '';
    fetched.push(`${options.method || 'GET'} ${url.href} ${accept || ''}`.trim());
    loopbackOnly(url);
    const response = await fetch(url, options);
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
    url = new URL(location, url);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && options.method === 'POST')) {
      options = { ...options, method: 'GET', body: undefined };
    }
  }
  throw new Error(`too many redirects from ${url.href}`);
}

function term(t) {
  switch (t.termType) {
    case 'NamedNode': return { type: 'uri', value: t.value };
    case 'BlankNode': return { type: 'bnode', value: t.value };
    case 'Literal': {
      const out = { type: 'literal', value: t.value };
      if (t.language) out['xml:lang'] = t.language;
      else if (t.datatype && t.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string') out.datatype = t.datatype.value;
      return out;
    }
    default: return { type: t.termType, value: t.value };
  }
}

async function main() {
  const [query, ...endpoints] = process.argv.slice(2);
  if (!query || endpoints.length === 0) {
    process.stderr.write('usage: node query.js QUERY ENDPOINT [ENDPOINT...]\n');
    return 2;
  }
  const engine = new QueryEngine();
  const context = {
    sources: endpoints.map((value) => (value.startsWith('auto@') ? value.slice(5) : { type: 'sparql', value })),
    fetch: loopbackFetch,
    httpTimeout: 120000,
  };
  const result = await engine.query(query, context);
  let out;
  if (result.resultType === 'bindings') {
    const vars = (await result.metadata()).variables.map((v) => (v.variable || v).value);
    const rows = await (await result.execute()).toArray();
    out = {
      vars,
      bindings: rows.map((b) => Object.fromEntries([...b].map(([v, t]) => [v.value, term(t)]))),
    };
  } else if (result.resultType === 'boolean') {
    out = { boolean: await result.execute() };
  } else if (result.resultType === 'quads') {
    const quads = await (await result.execute()).toArray();
    out = { triples: quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]) };
  } else {
    throw new Error(`unexpected result type ${result.resultType}`);
  }
  out.fetched = fetched;
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\nfetched: ${JSON.stringify(fetched)}\n`);
  process.exit(1);
});
