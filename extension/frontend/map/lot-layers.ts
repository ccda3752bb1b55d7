import L from 'leaflet';
import Flatbush from 'flatbush';
import Supercluster from 'supercluster';
import { colorForScore, formatInteger, lotPolygonStyle } from '@tomtejakt/sync/presentation';
import type { LotSummary } from '../lots/lot-summary.js';
import type { LonLat, MapGeometry } from '../lots/lot-geometry.js';
import {
  CLUSTER_MAX_ZOOM,
  clusterBackground,
  clusterLabel,
  clusterSize,
  modeForZoom,
  POLYGON_MIN_ZOOM,
  tierCountsOf,
  type MapMode,
  type TierCounts,
} from './zoom-levels.js';

type MappedLot = LotSummary & { geometry: MapGeometry };
type PointProps = { recordId: string; score: number | null };
type ClusterProps = TierCounts;

const toLatLng = ([lon, lat]: LonLat): L.LatLngTuple => [lat, lon];
const boundsOf = (lot: MappedLot) =>
  L.latLngBounds([lot.geometry.bbox[1], lot.geometry.bbox[0]], [lot.geometry.bbox[3], lot.geometry.bbox[2]]);

export function lotLabel(lot: LotSummary): string {
  const where = [lot.matrikkelnummer, lot.kommune].filter(Boolean).join(' ') || lot.tomtId;
  return `${where} – ${lot.score === null ? 'uten score' : `score ${formatInteger(lot.score)}`}`;
}

/** Below this on-screen width a polygon also gets a point, so that it can be seen and clicked. */
const MIN_POLYGON_PX = 8;

/**
 * The lots on a Leaflet map: clusters and points (kdbush via supercluster) at low zoom, polygons
 * on one shared canvas from POLYGON_MIN_ZOOM, only those near the view (flatbush over bboxes),
 * so panning over 5,000 lots draws a few hundred shapes, not 5,000.
 */
export class LotLayers {
  private lots: MappedLot[] = [];
  private byId = new Map<string, MappedLot>();
  private clusters = this.newClusterIndex();
  private boxes: Flatbush | null = null;
  private readonly points = L.layerGroup();
  private readonly shapes = L.layerGroup();
  private readonly selection = L.layerGroup();
  /** Keyed by the summary object, which is replaced whenever a lot's cells change. */
  private polygonCache = new WeakMap<MappedLot, L.Polygon>();
  private readonly shownPolygons = new Map<string, L.Polygon>();
  private selected: MappedLot | null = null;
  private mode: MapMode;

  constructor(
    private readonly map: L.Map,
    private readonly renderer: L.Renderer,
    private readonly onSelect: (recordId: string) => void,
    private readonly onRedraw: (mode: MapMode) => void,
  ) {
    this.shapes.addTo(map);
    this.points.addTo(map);
    this.selection.addTo(map);
    this.mode = modeForZoom(map.getZoom());
    map.on('moveend', () => this.redraw());
  }

  setLots(lots: ReadonlyArray<LotSummary>): void {
    this.lots = lots.filter((lot): lot is MappedLot => lot.geometry !== null);
    this.byId = new Map(this.lots.map((lot) => [lot.recordId, lot]));
    this.clusters = this.newClusterIndex();
    this.clusters.load(
      this.lots.map((lot) => ({
        type: 'Feature',
        properties: { recordId: lot.recordId, score: lot.score },
        geometry: { type: 'Point', coordinates: lot.geometry.anchor },
      })),
    );
    this.boxes = null;
    if (this.lots.length) {
      const boxes = new Flatbush(this.lots.length);
      for (const { geometry } of this.lots) boxes.add(...geometry.bbox);
      boxes.finish();
      this.boxes = boxes;
    }
    for (const [id, polygon] of this.shownPolygons) {
      this.shapes.removeLayer(polygon);
      this.shownPolygons.delete(id);
    }
    this.redraw();
  }

  setSelected(lot: LotSummary | null): void {
    this.selected = lot && lot.geometry ? (lot as MappedLot) : null;
    this.drawSelection();
  }

  /** Brings a lot into view at a zoom where its polygon shows, leaving room for the panel. */
  focusOn(lot: LotSummary): void {
    if (!lot.geometry) return;
    this.map.invalidateSize();
    this.map.fitBounds(boundsOf(lot as MappedLot), {
      // 16 shows the lot with its neighbours; closer hides the surroundings that place it.
      maxZoom: 16,
      padding: [40, 40],
      animate: false,
    });
    if (this.map.getZoom() < POLYGON_MIN_ZOOM) this.map.setZoom(POLYGON_MIN_ZOOM, { animate: false });
  }

  fitToLots(): void {
    if (!this.lots.length) return;
    const bounds = L.latLngBounds([]);
    for (const lot of this.lots) bounds.extend(boundsOf(lot));
    this.map.invalidateSize();
    this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
  }

  get lotCount(): number {
    return this.lots.length;
  }

  private newClusterIndex() {
    return new Supercluster<PointProps, ClusterProps>({
      // Leaflet's tiles are 256 px, so with this extent the radius is in screen pixels.
      extent: 256,
      radius: 60,
      maxZoom: CLUSTER_MAX_ZOOM,
      map: (p) => tierCountsOf(p.score),
      reduce: (acc, p) => {
        acc.A += p.A;
        acc.B += p.B;
        acc.C += p.C;
        acc.D += p.D;
        acc['-'] += p['-'];
      },
    });
  }

  private redraw(): void {
    const zoom = Math.round(this.map.getZoom());
    this.mode = modeForZoom(zoom);
    const view = this.map.getBounds().pad(0.25);
    const bbox: [number, number, number, number] = [
      Math.max(-180, view.getWest()),
      Math.max(-85, view.getSouth()),
      Math.min(180, view.getEast()),
      Math.min(85, view.getNorth()),
    ];
    this.points.clearLayers();
    if (this.mode === 'polygons') this.drawPolygons(bbox, zoom);
    else {
      for (const [id, polygon] of this.shownPolygons) {
        this.shapes.removeLayer(polygon);
        this.shownPolygons.delete(id);
      }
      this.drawPoints(bbox, zoom);
    }
    this.drawSelection();
    this.onRedraw(this.mode);
  }

  private drawPoints(bbox: [number, number, number, number], zoom: number): void {
    for (const feature of this.clusters.getClusters(bbox, zoom)) {
      const [lon, lat] = feature.geometry.coordinates as LonLat;
      const props = feature.properties;
      if ('cluster' in props && props.cluster) {
        this.points.addLayer(this.clusterMarker([lat, lon], props.cluster_id, props.point_count, props));
      } else {
        const { recordId, score } = props as PointProps;
        const lot = this.byId.get(recordId);
        if (lot) this.points.addLayer(this.pointMarker(lot, score));
      }
    }
  }

  private clusterMarker(latlng: L.LatLngTuple, clusterId: number, count: number, props: ClusterProps) {
    const size = clusterSize(count);
    const inner = size - 12;
    const marker = L.marker(latlng, {
      icon: L.divIcon({
        className: 'tomtekart-cluster',
        html:
          `<span class="tomtekart-cluster-ring" style="background:${clusterBackground(props)};width:${size}px;height:${size}px">` +
          `<span class="tomtekart-cluster-count" style="width:${inner}px;height:${inner}px;line-height:${inner}px">${clusterLabel(count)}</span></span>`,
        iconSize: [size, size],
      }),
      title: `${formatInteger(count)} tomter (A: ${props.A}, B: ${props.B}, C: ${props.C}, D: ${props.D}) – klikk for å zoome inn`,
      keyboard: true,
    });
    marker.on('click', () => {
      const zoom = Math.min(this.clusters.getClusterExpansionZoom(clusterId), POLYGON_MIN_ZOOM);
      this.map.setView(latlng, Math.max(zoom, this.map.getZoom() + 1));
    });
    return marker;
  }

  private pointMarker(lot: MappedLot, score: number | null, radius = 6) {
    const marker = L.circleMarker(toLatLng(lot.geometry.anchor), {
      renderer: this.renderer,
      radius,
      weight: 1.5,
      color: '#ffffff',
      fillColor: colorForScore(score),
      fillOpacity: 0.95,
    });
    marker.bindTooltip(lotLabel(lot), { direction: 'top' });
    marker.on('click', () => this.onSelect(lot.recordId));
    return marker;
  }

  private polygonOf(lot: MappedLot): L.Polygon {
    let polygon = this.polygonCache.get(lot);
    if (!polygon) {
      polygon = L.polygon(
        lot.geometry.polygons.map((rings) => rings.map((ring) => ring.map(toLatLng))),
        {
          renderer: this.renderer,
          ...lotPolygonStyle(lot.score, false, lot.underTerskel),
        },
      );
      polygon.bindTooltip(lotLabel(lot), { sticky: true });
      polygon.on('click', () => this.onSelect(lot.recordId));
      this.polygonCache.set(lot, polygon);
    }
    return polygon;
  }

  private drawPolygons(bbox: [number, number, number, number], zoom: number): void {
    const wanted = new Set<string>();
    const scale = 256 * 2 ** zoom;
    for (const i of this.boxes?.search(...bbox) ?? []) {
      const lot = this.lots[i]!;
      wanted.add(lot.recordId);
      if (!this.shownPolygons.has(lot.recordId)) {
        const polygon = this.polygonOf(lot);
        polygon.setStyle(lotPolygonStyle(lot.score, false, lot.underTerskel));
        this.shapes.addLayer(polygon);
        this.shownPolygons.set(lot.recordId, polygon);
      }
      const widthPx = ((lot.geometry.bbox[2] - lot.geometry.bbox[0]) / 360) * scale;
      if (widthPx < MIN_POLYGON_PX) this.points.addLayer(this.pointMarker(lot, lot.score, 4));
    }
    for (const [id, polygon] of this.shownPolygons) {
      if (!wanted.has(id)) {
        this.shapes.removeLayer(polygon);
        this.shownPolygons.delete(id);
      }
    }
  }

  private drawSelection(): void {
    this.selection.clearLayers();
    const lot = this.selected;
    if (!lot) return;
    if (this.mode === 'polygons') {
      const polygon = L.polygon(
        lot.geometry.polygons.map((rings) => rings.map((ring) => ring.map(toLatLng))),
        { renderer: this.renderer, ...lotPolygonStyle(lot.score, true), interactive: false },
      );
      this.selection.addLayer(polygon);
    } else {
      this.selection.addLayer(
        L.circleMarker(toLatLng(lot.geometry.anchor), {
          renderer: this.renderer,
          radius: 10,
          weight: 3,
          color: lotPolygonStyle(lot.score, true).color,
          fillColor: colorForScore(lot.score),
          fillOpacity: 1,
          interactive: false,
        }),
      );
    }
  }
}
