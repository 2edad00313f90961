import {expect} from 'chai'

import type {PlanEntry} from '../../../src/lib/actions/apply/plan-entry.js'

import {PlanJson} from '../../../src/lib/output/plan-json.js'

const add = (n: number): PlanEntry => ({
  action: 'a', path: `/${n}`, status: false, step: 'add',
})
const remove = (n: number): PlanEntry => ({
  action: 'r', path: `/${n}`, status: true, step: 'remove',
})

/** The renderer's output for these batches, whole. */
function render(...batches: PlanEntry[][]): string {
  const json = new PlanJson()
  return batches.map(batch => json.entries(batch)).join('') + json.end()
}

describe('PlanJson', function () {
  it('an empty plan is three empty arrays', function () {
    expect(render()).to.equal('{"add":[],"change":[],"remove":[]}\n')
    expect(render([], [])).to.equal('{"add":[],"change":[],"remove":[]}\n')
  })

  it('opens the arrays a step skips, whatever the batches are', function () {
    expect(JSON.parse(render([remove(1)], [remove(2)]))).to.deep.equal({add: [], change: [], remove: [remove(1), remove(2)].map(({step: _, ...e}) => e)})
    const text = render([add(1), add(2)], [add(3), {
      action: 'c', old_status: true, path: '/c', status: false, step: 'change',
    }, remove(4)])
    expect(JSON.parse(text)).to.deep.equal({
      add: [{action: 'a', path: '/1', status: false}, {action: 'a', path: '/2', status: false}, {action: 'a', path: '/3', status: false}],
      change: [{
        action: 'c', old_status: true, path: '/c', status: false,
      }],
      remove: [{action: 'r', path: '/4', status: true}],
    })
    expect(text.split('\n').filter(line => line.startsWith('{"action"')), 'one entry a line').to.have.length(5)
  })
})
