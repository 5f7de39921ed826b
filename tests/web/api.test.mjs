// The JSON API against its description, docs/api.yaml: the server on the demo data
// answers every GET route the file documents, and each answer (and a few errors) is
// checked against the schema the file gives for that operation and status, with a
// real JSON Schema validator (ajv). Every route the server lists at /api/v1 must be
// in the file, and every route in the file must be served, so the two cannot drift.
// The file is read through the pinned Redocly CLI (`redocly bundle --dereferenced`),
// the same tool `make api-lint` lints it with.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import Ajv from 'ajv';
import { startServer, newDb, dropDb, assertStore, ROOT } from './server.mjs';

// Documented before the server has them: accounts land in their own branch.
const NOT_YET_SERVED = new Set(['POST /api/v1/session', 'DELETE /api/v1/session']);

function loadApi() {
    const dir = mkdtempSync(join(tmpdir(), 'rt-api-'));
    try {
        const out = join(dir, 'api.json');
        execFileSync(join(ROOT, 'tests/web/node_modules/.bin/redocly'),
            ['bundle', join(ROOT, 'docs/api.yaml'), '--dereferenced', '-o', out],
            { stdio: ['ignore', 'ignore', 'pipe'],
              env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
        return JSON.parse(readFileSync(out, 'utf8'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

// OpenAPI 3.0 schema -> JSON Schema: nullable becomes "or null"; example goes.
function toJsonSchema(s) {
    if (Array.isArray(s)) return s.map(toJsonSchema);
    if (!s || typeof s !== 'object') return s;
    const out = {};
    for (const [k, v] of Object.entries(s)) {
        if (k === 'nullable' || k === 'example') continue;
        out[k] = k === 'properties'
            ? Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p)]))
            : toJsonSchema(v);
    }
    return s.nullable ? { anyOf: [{ type: 'null' }, out] } : out;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

let api, srv, ajv;
const validators = new Map();
const exercised = new Set();

// The validator of operation METHOD PATH's JSON answer with status.
function validatorFor(method, path, status) {
    const key = `${method} ${path} ${status}`;
    if (!validators.has(key)) {
        const op = api.paths[path]?.[method];
        assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
        const resp = op.responses[String(status)];
        assert.ok(resp, `${method.toUpperCase()} ${path} documents status ${status}`);
        const schema = resp.content?.['application/json']?.schema;
        assert.ok(schema, `${method.toUpperCase()} ${path} ${status} has a JSON schema`);
        validators.set(key, ajv.compile(toJsonSchema(schema)));
    }
    return validators.get(key);
}

// Checks the answer to GET url (on the server at base) against the schema of `path`
// for the status it had.
async function checkOn(base, path, url, want = 200) {
    const res = await fetch(base + url);
    const { status } = res;
    const body = await res.json();
    assert.ok([want].flat().includes(status), `GET ${url}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
    const validate = validatorFor('get', path, status);
    const ok = validate(body);
    assert.ok(ok, `GET ${url} (${status}) does not match docs/api.yaml: ` +
        JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    exercised.add(path);
    return body;
}
const check = (path, url, want) => checkOn(srv.url, path, url, want);

// Every documented GET route, with the path parameters found through the API itself:
// each dialogue, its rounds and their asks, the states under review and the parties,
// each as of several dates. Returns how many answers were checked.
async function walk(base, asOfs = ['', '?as_of=2015-09', '?as_of=2016', '?as_of=2000']) {
    let n = 0;
    const get = async (path, url, want = 200) => { n++; return checkOn(base, path, url, want); };
    const search = await get('/api/v1/recommendations', '/api/v1/recommendations?limit=100&facets=true');
    assert.ok(search.hits.length >= 10, 'there are recommendations');
    assert.deepEqual(Object.keys(search.facets), ['response', 'cycle', 'theme', 'state_under_review'],
        'facets=true adds the counts');
    await get('/api/v1/recommendations', '/api/v1/recommendations?q=death+penalty&limit=5');
    await get('/api/v1/recommendations', '/api/v1/recommendations?q=nothingmatchesthisword');
    const dialogues = await get('/api/v1/dialogues', '/api/v1/dialogues');
    assert.ok(dialogues.length >= 1, 'there is a dialogue');
    const states = new Set(search.hits.map((h) => h.state_under_review_code));
    const parties = new Set();
    const recs = search.hits.map((h) => h.id);
    const rounds = [];
    const asks = [];
    for (const d of dialogues) {
        const dlg = await get('/api/v1/dialogues/{id}', `/api/v1/dialogues/${d.id}`);
        rounds.push(...dlg.rounds.map((r) => r.id));
        // A round by its number in its dialogue, as people name it.
        for (const r of dlg.rounds) {
            const byN = await get('/api/v1/dialogues/{id}/rounds/{n}', `/api/v1/dialogues/${d.id}/rounds/${r.ordinal}`);
            assert.equal(byN.id, r.id, `round ${r.ordinal} of dialogue ${d.id}`);
            await get('/api/v1/dialogues/{id}/rounds/{n}/since', `/api/v1/dialogues/${d.id}/rounds/${r.ordinal}/since`);
        }
        d.parties.forEach((p) => parties.add(p));
        for (const asOf of asOfs) {
            await get('/api/v1/dialogues/{id}/timeline', `/api/v1/dialogues/${d.id}/timeline${asOf}`);
            await get('/api/v1/dialogues/{id}/reciprocity', `/api/v1/dialogues/${d.id}/reciprocity${asOf}`);
            await get('/api/v1/dialogues/{id}/brief', `/api/v1/dialogues/${d.id}/brief${asOf}`);
        }
        const dsteps = await get('/api/v1/dialogues/{id}/steps', `/api/v1/dialogues/${d.id}/steps`);
        for (const s of dsteps) await get('/api/v1/steps/{id}/persons', `/api/v1/steps/${s.id}/persons`);
    }
    // Persons: private, but this server runs on loopback without accounts.
    const persons = await get('/api/v1/persons', '/api/v1/persons');
    await get('/api/v1/persons', '/api/v1/persons?q=Statkevich&as_of=2015-08-21');
    for (const p of persons) {
        for (const asOf of asOfs) await get('/api/v1/persons/{id}', `/api/v1/persons/${p.id}${asOf}`);
    }
    await get('/api/v1/persons/{id}', '/api/v1/persons/999999', 404);
    assert.ok(rounds.length >= 2, 'the dialogues have rounds');
    for (const r of rounds) {
        const round = await get('/api/v1/rounds/{id}', `/api/v1/rounds/${r}`);
        asks.push(...round.asks.map((a) => a.id));
        await get('/api/v1/rounds/{id}/since', `/api/v1/rounds/${r}/since`);
        await get('/api/v1/rounds/{id}/since', `/api/v1/rounds/${r}/since?as_of=2016-01`);
    }
    await get('/api/v1/session', '/api/v1/session');
    // The pickers' lookup, of every kind.
    for (const q of ['kind=rec&q=Belarus+death', 'kind=step,ask,round,topic&dialogue=1',
                     'kind=party&q=bel&dialogue=1', 'kind=dialogue', 'kind=round&q=1%232']) {
        const found = await get('/api/v1/lookup', `/api/v1/lookup?${q}`);
        assert.ok(found.results.length >= 1, `the lookup ${q} finds something`);
    }
    await get('/api/v1/lookup', '/api/v1/lookup?kind=nothing', 422);
    if (rounds.length) await get('/api/v1/history', `/api/v1/history?record=round:${rounds[0]}`);
    // Each round and ask as a record a correction starts from (GET /api/v1/records/{ref}).
    for (const r of rounds) {
        const rec = await get('/api/v1/records/{ref}', `/api/v1/records/round:${r}`);
        assert.equal(rec.ref, `round:${r}`);
    }
    for (const a of asks) await get('/api/v1/records/{ref}', `/api/v1/records/ask:${a}`);
    for (const id of recs) {
        await get('/api/v1/recommendations/{id}', `/api/v1/recommendations/${id}`);
        await get('/api/v1/recommendations/{id}/status', `/api/v1/recommendations/${id}/status`);
    }
    for (const s of states) {
        await get('/api/v1/states/{state}/profile', `/api/v1/states/${s}/profile`);
        await get('/api/v1/states/{state}/profile', `/api/v1/states/${s}/profile?as_of=2015`);
    }
    // A party may be a state or not (EU): then 404, with the error schema.
    for (const s of parties) await get('/api/v1/states/{state}/profile', `/api/v1/states/${s}/profile`, [200, 404]);
    assert.ok(asks.length >= 1, 'the rounds have asks');
    for (const a of asks) await get('/api/v1/asks/{id}/persons', `/api/v1/asks/${a}/persons?as_of=2015-08-22`);
    for (const target of [...asks.map((a) => `ask:${a}`), `rec:${recs[0]}`, 'benchmark:1', 'commitment:1']) {
        await get('/api/v1/status', `/api/v1/status?target=${target}`);
        await get('/api/v1/status', `/api/v1/status?target=${target}&as_of=2015-10`);
    }
    return n;
}

describe('the API and docs/api.yaml', () => {
    before(async () => {
        api = loadApi();
        ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
        srv = await startServer();
        assertStore(srv.db);
    });
    after(async () => {
        if (srv) {
            const st = await srv.stop();
            assert.deepEqual(st, { code: 0, sig: null }, 'serve stops cleanly on SIGTERM');
        }
    });

    it('has no key with a space in it (a comma in an unquoted YAML value makes one)', () => {
        const bad = [];
        const walk = (v, where) => {
            if (!v || typeof v !== 'object') return;
            for (const [k, x] of Object.entries(v)) {
                if (/\s/.test(k)) bad.push(`${where}/${k}`);
                walk(x, `${where}/${k}`);
            }
        };
        walk(api, '#');
        assert.deepEqual(bad, []);
    });

    it('documents every route the server serves, and serves every documented route', async () => {
        const index = await check('/api/v1', '/api/v1');
        const served = index.routes.map((r) => `${r.method} ${r.path}`).sort();
        const documented = Object.entries(api.paths)
            .flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`))
            .sort();
        assert.ok(served.length >= 20, `the index lists the routes (${served.length})`);
        assert.deepEqual(served.filter((r) => !documented.includes(r)), [], 'served but not in docs/api.yaml');
        assert.deepEqual(documented.filter((r) => !served.includes(r) && !NOT_YET_SERVED.has(r)), [],
            'in docs/api.yaml but not served');
    });

    it('documents every /api/v1 path named in the code of the web face', () => {
        // Also a route handled outside api.c's table, which the index would not list.
        const norm = (x) => x.replace(/\{[^}]+\}|%[a-z]*[a-z]/g, '*').replace(/\?.*$/, '');
        const documented = Object.keys(api.paths).map(norm);
        const dir = join(ROOT, 'src/http');
        const missing = [];
        let n = 0;
        for (const f of readdirSync(dir).filter((x) => x.endsWith('.c'))) {
            for (const [, lit] of readFileSync(join(dir, f), 'utf8').matchAll(/"(\/api\/v1[^"]*)"/g)) {
                n++;
                const p = norm(lit);
                const ok = p.endsWith('/') ? documented.some((d) => (d + '/').startsWith(p)) : documented.includes(p);
                if (!ok) missing.push(`${f}: ${lit}`);
            }
        }
        assert.ok(n >= 20, `paths found in src/http (${n})`);
        assert.deepEqual(missing, []);
    });

    it('writes need a session or a token; reads do not', () => {
        for (const [p, item] of Object.entries(api.paths)) {
            for (const m of METHODS.filter((x) => item[x])) {
                const sec = item[m].security ?? api.security;
                const anonymous = sec.some((r) => Object.keys(r).length === 0);
                const key = `${m.toUpperCase()} ${p}`;
                // Logging in needs no session; logging out ends the one the cookie names.
                if (key === 'POST /api/v1/session') { assert.ok(anonymous, key); continue; }
                if (key === 'DELETE /api/v1/session') {
                    assert.deepEqual(sec, [{ sessionCookie: [] }], key);
                    continue;
                }
                // Parsing a readout writes nothing.
                const writes = m !== 'get' && p !== '/api/v1/readouts/parse';
                assert.equal(anonymous, !writes, `${key}: anonymous ${anonymous}`);
                if (writes) {
                    assert.ok(sec.some((r) => 'sessionCookie' in r) && sec.some((r) => 'bearerAuth' in r),
                        `${m.toUpperCase()} ${p} takes the session cookie or a bearer token`);
                    assert.ok(item[m].responses['401'], `${m.toUpperCase()} ${p} documents 401`);
                }
            }
        }
        assert.equal(api.components.securitySchemes.sessionCookie.name, 'rt_session');
        assert.equal(api.components.securitySchemes.bearerAuth.scheme, 'bearer');
    });

    it('answers every documented GET route as its schema says', async () => {
        await walk(srv.url);
        const gets = Object.entries(api.paths).filter(([, item]) => item.get).map(([p]) => p);
        assert.deepEqual(gets.filter((p) => !exercised.has(p)), [], 'documented GET routes left unchecked');
    });

    it('answers errors with the documented error schema', async () => {
        await check('/api/v1/rounds/{id}', '/api/v1/rounds/999999', 404);
        await check('/api/v1/recommendations/{id}', '/api/v1/recommendations/abc', 404);
        await check('/api/v1/dialogues/{id}', '/api/v1/dialogues/999999', 404);
        await check('/api/v1/states/{state}/profile', '/api/v1/states/XXX/profile', 404);
        const e = await check('/api/v1/dialogues/{id}/timeline', '/api/v1/dialogues/1/timeline?as_of=2015-13-01', 422);
        assert.equal(e.error.field, 'as-of');
        const sur = await check('/api/v1/recommendations', '/api/v1/recommendations?sur=Atlantis', 422);
        assert.equal(sur.error.field, 'sur');
        const lim = await check('/api/v1/recommendations', '/api/v1/recommendations?limit=99999999', 400);
        assert.equal(lim.error.field, 'limit');
        await check('/api/v1/status', '/api/v1/status?target=step:1', 422);
    });

    it('catches drift: an answer with a field the file does not know fails its schema', () => {
        const validate = validatorFor('get', '/api/v1/dialogues', 200);
        const row = { id: 1, name: 'x', kind: 'bilateral', parties: ['USA'], rounds: 0, last_round: null };
        assert.ok(validate([row]));
        assert.ok(!validate([{ ...row, colour: 'red' }]), 'an unknown field');
        assert.ok(!validate([{ ...row, rounds: '2' }]), 'a wrong type');
        const { name, ...noName } = row;
        assert.ok(name && !validate([noName]), 'a missing field');
    });
});

// The same walk over the real data of ../shared/data: the demo database plus Belarus's
// UPR record and every readout there imported as a round of a dialogue between its
// sides (20 dialogues), which have shapes the demo does not (participants without a
// title, rounds without asks, dialogues without steps). Skipped without the data,
// except under CI, where that is a failure.
const DATA = process.env.RIGHTSTRACK_SHARED_DATA || resolve(ROOT, '..', 'shared', 'data');

function realDatabase(dir) {
    const rt = resolve(ROOT, process.env.RT || 'build/debug/rightstrack');
    const db = newDb(dir, 'real.db');
    const run = (args) => execFileSync(rt, ['--db', db, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['import', join(ROOT, 'data/demo/recommendations.csv')]);
    execFileSync('sh', [join(ROOT, 'data/demo/us-belarus.sh'), rt, '--db', db], { cwd: ROOT, stdio: 'ignore' });
    run(['import', join(DATA, 'belarus/upr_by_belarus_2008-2014_uprinfo.csv')]);
    let rounds = 0;
    for (const f of readdirSync(join(DATA, 'readouts')).filter((x) => x.endsWith('.txt')).sort()) {
        const file = join(DATA, 'readouts', f);
        const sides = JSON.parse(execFileSync(rt, ['readout', 'parse', file, '--json'])).sides;
        if (sides.length < 2) continue;
        const name = basename(f, '.txt').replace(/-[0-9-]*$/, '');
        try { run(['dialogue', 'show', name]); } catch {
            try { run(['dialogue', 'add', name, ...sides.flatMap((p) => ['--party', p])]); } catch { continue; }
        }
        try { run(['readout', 'import', file, '--dialogue', name]); rounds++; } catch { /* a side not known */ }
    }
    return { rt, db, rounds };
}

function serve(rt, db) {
    const child = spawn(rt, ['--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((res) => child.once('exit', (code, sig) => res({ code, sig })));
    return new Promise((res, rej) => {
        let out = '';
        const timer = setTimeout(() => rej(new Error(`serve printed no URL in 10 s: ${out}`)), 10000);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (x) => {
            out += x;
            const m = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
            if (m) {
                clearTimeout(timer);
                res({ url: m[1], stop: () => { child.kill('SIGTERM'); return exited; } });
            }
        });
    });
}

describe('the API and docs/api.yaml, on the real data', { skip: !existsSync(DATA) && !process.env.CI && `no real data at ${DATA}` }, () => {
    let dir, real, server;
    before(async () => {
        assert.ok(existsSync(DATA), `the real data at ${DATA} (CI is set)`);
        api ??= loadApi();
        ajv ??= new Ajv({ strict: true, strictTypes: false, allErrors: true });
        dir = mkdtempSync(join(tmpdir(), 'rt-api-real-'));
        real = realDatabase(dir);
        server = await serve(real.rt, real.db);
        assertStore(real.db);
    });
    after(async () => {
        if (server) assert.deepEqual(await server.stop(), { code: 0, sig: null }, 'serve stops cleanly');
        if (dir) rmSync(dir, { recursive: true, force: true });
        if (real) dropDb(real.db);
    });

    it('answers every documented GET route as its schema says', async () => {
        assert.ok(real.rounds >= 15, `the readouts became rounds (${real.rounds})`);
        const n = await walk(server.url, ['', '?as_of=2016']);
        assert.ok(n >= 200, `answers checked: ${n}`);
    });
});
