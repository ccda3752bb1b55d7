import { describe, expect, it } from 'vitest';
import { TIER_COLORS } from '@tomtejakt/sync/presentation';
import {
  KARTVERKET_TOPO,
  OPENSTREETMAP,
  primaryTileSource,
  shouldFallBack,
  tileUrlProblem,
} from '../../extension/frontend/map/tile-source.js';
import {
  clusterBackground,
  clusterLabel,
  clusterSize,
  modeForZoom,
} from '../../extension/frontend/map/zoom-levels.js';
import {
  lookupButtonLabel,
  lookupExplanation,
  lookupRunning,
  lookupSteps,
  requestedAtOf,
  requestedMessage,
  requestStale,
} from '../../extension/frontend/panel/lookup-steps.js';

describe('tiles', () => {
  it('defaults to Kartverket topo (web mercator, row before column) with its attribution', () => {
    expect(KARTVERKET_TOPO.url).toBe(
      'https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png',
    );
    expect(KARTVERKET_TOPO.attribution).toContain('Kartverket</a>');
    expect(primaryTileSource(undefined, undefined)).toBe(KARTVERKET_TOPO);
    expect(primaryTileSource('  ', 'x')).toBe(KARTVERKET_TOPO);
  });

  it('takes a valid configured URL, with its attribution as text or else the host', () => {
    expect(primaryTileSource('https://kart.example.no/{z}/{x}/{y}.png', '')).toEqual({
      url: 'https://kart.example.no/{z}/{x}/{y}.png',
      attribution: 'kart.example.no',
      maxZoom: 18,
    });
    expect(primaryTileSource('https://a.no/{z}/{x}/{y}', '<img src=x onerror=alert(1)>').attribution).toBe(
      '&lt;img src=x onerror=alert(1)&gt;',
    );
  });

  it('names what is wrong with a tile URL', () => {
    expect(tileUrlProblem('ftp://a/{z}/{x}/{y}')).toBe('Adressen må begynne med https://');
    expect(tileUrlProblem('https://a/{z}/{y}.png')).toBe('Adressen mangler {x}');
    expect(tileUrlProblem(OPENSTREETMAP.url)).toBeNull();
  });

  it('falls back only when the first tiles all fail', () => {
    expect(shouldFallBack({ loaded: 0, failed: 3 })).toBe(false);
    expect(shouldFallBack({ loaded: 0, failed: 4 })).toBe(true);
    expect(shouldFallBack({ loaded: 1, failed: 20 })).toBe(false);
  });
});

describe('zoom levels', () => {
  it('draws clusters, then points, then polygons as the user zooms in', () => {
    expect([5, 11, 12, 13, 14, 18].map(modeForZoom)).toEqual([
      'clusters',
      'clusters',
      'points',
      'points',
      'polygons',
      'polygons',
    ]);
  });

  it('splits a cluster ring by tier and sizes it by count', () => {
    expect(clusterBackground({ A: 2, B: 0, C: 0, D: 0, '-': 0 })).toBe(TIER_COLORS.A);
    expect(clusterBackground({ A: 1, B: 0, C: 0, D: 3, '-': 0 })).toBe(
      `conic-gradient(${TIER_COLORS.A} 0.0% 25.0%, ${TIER_COLORS.D} 25.0% 100.0%)`,
    );
    expect(clusterSize(1)).toBe(28);
    expect(clusterSize(5000)).toBe(54);
    expect(clusterLabel(999)).toBe('999');
    expect(clusterLabel(1234)).toBe('1,2k');
  });
});

describe('owner lookup steps', () => {
  it('walks Forespurt → Pågår → Ferdig/Feilet', () => {
    expect(lookupSteps(null).map((s) => s.state)).toEqual(['todo', 'todo', 'todo']);
    expect(lookupSteps('Pågår').map((s) => `${s.label}:${s.state}`)).toEqual([
      'Forespurt:done',
      'Pågår:current',
      'Ferdig:todo',
    ]);
    expect(lookupSteps('Feilet').at(-1)).toEqual({ label: 'Feilet', state: 'failed' });
    expect(lookupSteps('Ikke konfigurert').at(-1)).toEqual({ label: 'Ikke konfigurert', state: 'failed' });
    expect(['Forespurt', 'Pågår', 'Ferdig', 'Feilet', null].map((s) => lookupButtonLabel(s))).toEqual([
      'Eieroppslag pågår …',
      'Eieroppslag pågår …',
      'Finn eier på nytt',
      'Prøv igjen',
      'Finn eier',
    ]);
  });

  it('offers to try again on a "Forespurt" older than five minutes, read from the request’s message', () => {
    const at = new Date(2026, 11, 6, 19, 5);
    expect(requestedMessage(at)).toBe('Bestilt 06.12.2026 kl. 19:05.');
    expect(requestedAtOf(requestedMessage(at))).toEqual(at);
    expect(requestedAtOf('Eieroppslaget feilet: …')).toBeNull();
    const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
    expect(requestStale('Forespurt', at, later(4))).toBe(false);
    expect(requestStale('Forespurt', at, later(5))).toBe(true);
    expect(requestStale('Pågår', at, later(60))).toBe(false);
    expect(requestStale('Forespurt', null, later(60))).toBe(false);
    expect(lookupButtonLabel('Forespurt', true)).toBe('Prøv igjen');
    expect(lookupRunning('Forespurt', true)).toBe(false);
    expect(lookupRunning('Forespurt', false)).toBe(true);
    expect(lookupExplanation('Forespurt', null, true)).toMatch(
      /^Bestillingen har stått på «Forespurt» i mer enn 5 minutter/,
    );
  });
});
