import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../lib/bindings';
import { groupHits, hitRoute } from '../lib/search';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  kind: 'clause',
  id: 'h',
  agreement_id: 'A1',
  agreement_title: 'Action plan',
  clause_id: 'c1',
  clause_number: '1',
  partner_ids: ['tj'],
  partner_names: ['Tajikistan'],
  excerpt: '…',
  ...over,
});

describe('search grouping', () => {
  const partners = new Map([
    ['tj', { name: 'Tajikistan', name_fa: 'تاجیکستان' }],
    ['iom', { name: 'IOM', name_fa: null }],
  ]);
  const hits = [
    hit({ kind: 'agreement', id: 'A1', clause_id: null, clause_number: null }),
    hit({ kind: 'agreement', id: 'A2', agreement_id: 'A2', agreement_title: 'Border health', clause_id: null, partner_ids: ['iom', 'tj'], partner_names: ['IOM', 'Tajikistan'] }),
    hit({ id: 'c1' }),
    hit({ id: 'c9', agreement_id: 'A3', agreement_title: 'MoU', clause_id: 'c9' }),
    hit({ kind: 'note', id: 'n1', clause_id: 'c1' }),
  ];

  it('groups by partner, then agreement, in ranked order', () => {
    const { groups, flat } = groupHits(hits, partners, 'en');
    expect(groups.map((g) => g.label)).toEqual(['Tajikistan', 'IOM · Tajikistan']);
    expect(groups[0].agreements.map((a) => a.agreementId)).toEqual(['A1', 'A3']);
    expect(groups[0].agreements[0].hits.map((h) => h.hit.id)).toEqual(['A1', 'c1', 'n1']);
    // The flat list is the display order, which the arrow keys follow.
    expect(flat.map((h) => h.id)).toEqual(['A1', 'c1', 'n1', 'c9', 'A2']);
    expect(groups[0].agreements[1].hits[0].index).toBe(3);
  });

  it('names groups in the interface language', () => {
    const { groups } = groupHits(hits, partners, 'fa');
    expect(groups[0].label).toBe('تاجیکستان');
    expect(groups[1].label).toBe('IOM · تاجیکستان');
  });

  it('opens agreements, and clauses (also for notes) in their agreement', () => {
    expect(hitRoute(hits[0])).toBe('/agreements/A1');
    expect(hitRoute(hits[2])).toBe('/agreements/A1/clauses/c1');
    expect(hitRoute(hits[4])).toBe('/agreements/A1/clauses/c1');
  });
});
