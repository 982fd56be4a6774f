/**
 * Search results grouped for the Ctrl+K dialog: by partner (the agreement's
 * parties, as one group when there are several), then by agreement. Groups
 * keep the order in which the backend ranked their first hit, and every hit
 * keeps a flat index so the arrow keys walk the list as it is shown.
 */
import type { Partner, SearchHit } from './bindings';
import type { Lang } from './bindings';

export interface AgreementGroup {
  agreementId: string;
  title: string;
  hits: { hit: SearchHit; index: number }[];
}

export interface PartnerGroup {
  key: string;
  label: string;
  agreements: AgreementGroup[];
}

/** A partner's name for the interface language. */
export function partnerName(p: Pick<Partner, 'name' | 'name_fa'>, lang: Lang): string {
  return lang === 'fa' && p.name_fa ? p.name_fa : p.name;
}

export function groupHits(
  hits: SearchHit[],
  partners: Map<string, Pick<Partner, 'name' | 'name_fa'>>,
  lang: Lang,
): { groups: PartnerGroup[]; flat: SearchHit[] } {
  const groups: PartnerGroup[] = [];
  const byKey = new Map<string, PartnerGroup>();
  for (const hit of hits) {
    const key = hit.partner_ids.join('+');
    let group = byKey.get(key);
    if (!group) {
      const names = hit.partner_ids.map((id, i) => {
        const p = partners.get(id);
        return p ? partnerName(p, lang) : hit.partner_names[i] ?? id;
      });
      group = { key, label: names.join(' · '), agreements: [] };
      byKey.set(key, group);
      groups.push(group);
    }
    let ag = group.agreements.find((a) => a.agreementId === hit.agreement_id);
    if (!ag) {
      ag = { agreementId: hit.agreement_id, title: hit.agreement_title, hits: [] };
      group.agreements.push(ag);
    }
    ag.hits.push({ hit, index: -1 });
  }
  // Number the hits in display order.
  const flat: SearchHit[] = [];
  for (const g of groups)
    for (const a of g.agreements)
      for (const h of a.hits) {
        h.index = flat.length;
        flat.push(h.hit);
      }
  return { groups, flat };
}

/** Where a hit leads, as a route. */
export function hitRoute(hit: SearchHit): string {
  if (hit.kind === 'agreement' || !hit.clause_id) return `/agreements/${hit.agreement_id}`;
  return `/agreements/${hit.agreement_id}/clauses/${hit.clause_id}`;
}
