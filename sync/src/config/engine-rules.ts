import { z } from 'zod';

const codes = z.array(z.number().int());

/**
 * The lot engine's rules. Every value is a default the rule file can change
 * (see README "Rules"). Codes are SOSI Plan codes (domain/codes.ts).
 */
export const engineRulesSchema = z
  .object({
    candidates: z
      .object({
        /** KpArealformålOmråde.arealformål that allow housing (PBL 2008). */
        arealformal: codes.default([1001, 1110, 1130, 1800]),
        /** KpArealbrukOmråde.arealbruk that allow housing (old PBL 1985 plans). */
        arealbruk: codes.default([100, 101, 102, 110, 120]),
        /** 2 framtidig, 3 videreutvikling; 1 (nåværende) is built out. */
        arealbruksstatus: codes.default([2, 3]),
        /** Kommuneplaner (KpOmråde) must be in force: zones of a plan in another status are skipped. */
        kommuneplanPlanstatus: codes.default([3, 6]),
        /**
         * Where kommuneplaner overlap (a newer kommunedelplan over the KPA), the plan in force most
         * recently governs: older plans' zones are clipped by newer plans' outlines.
         */
        newerPlanGoverns: z.boolean().default(true),
      })
      .prefault({}),
    regulated: z
      .object({
        /** 3 endelig vedtatt, 6 vedtatt med utsatt rettsvirkning. */
        planstatus: codes.default([3, 6]),
        /** 2 på grunnen; 1 (tunnel) and 3 (bridge) regulate nothing on the ground. */
        vertikalniva: codes.default([2]),
        /** A RpOmråde without vertikalnivå is taken as on the ground. */
        missingVertikalnivaIsGround: z.boolean().default(true),
        /** KpDetaljeringSone.detaljering codes that mean "reguleringsplan skal fortsatt gjelde". */
        detaljering: codes.default([910]),
      })
      .prefault({}),
    inProgress: z
      .object({
        /** 1 planlegging igangsatt, 2 planforslag: flagged on the lots they touch, not subtracted. */
        planstatus: codes.default([1, 2]),
      })
      .prefault({}),
    /** Opening radius (inward then outward buffer) that removes slivers, metres. */
    sliverOpeningM: z.number().min(0).max(10).default(1),
    /**
     * Corner style of the opening. 'mitre' gives back a lot's true corners after the opening;
     * 'round' is PostGIS's default buffer style.
     */
    openingJoin: z.enum(['mitre', 'round']).default('mitre'),
    minOpportunityM2: z.number().min(0).default(2000),
    minLotM2: z.number().min(0).default(1000),
    /**
     * Overlaps smaller than this are digitising artefacts, not land ("pieces under 100 m² are
     * artefacts", users-and-workflow.md): a parcel piece, a property counted as spanned by an
     * opportunity, a plan in progress touching a lot all need at least this much.
     */
    minPieceM2: z.number().min(0).default(100),
    /**
     * Plan evidence for the kommune ranking (Byggevilje): reguleringsplaner in force that came into
     * force (ikrafttredelsesdato, else vedtakEndeligPlanDato) within this many years before the run
     * count as recent housing regulation where they cover candidate zones. Plans without a date
     * never count as recent.
     */
    planEvidenceYears: z.number().int().min(1).max(30).default(5),
    /** Grid (m) for the robust fallback when an overlay fails on near-coincident edges. */
    fallbackPrecisionM: z.number().positive().max(1).default(0.001),
  })
  .prefault({});

export type EngineRules = z.infer<typeof engineRulesSchema>;
