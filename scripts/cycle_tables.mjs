// Extract the facts behind the daily study cycles from @hebcal/learning (BSD-2-Clause) into
// src/madrega/data/cycles/learning.json: tractate and chapter counts, the Mishneh Torah's books,
// the day lists of Sefer HaMitzvot and Arukh HaShulchan Yomi, the Kitzur's calendar, the
// Yerushalmi's pages, and the Hebrew-date tables of Chofetz Chaim and Shemirat HaLashon (read by
// evaluating the package's own lookups on every date of twenty years). Only data is taken; the
// algorithms that use it are madrega's own (src/madrega/cycles.py).
//   node scripts/cycle_tables.mjs OUTFILE   (run from a directory where the packages are installed)
import fs from 'node:fs';
import {HDate, months} from '@hebcal/hdate';
import * as learning from '@hebcal/learning';
import mishnayot from '@hebcal/learning/mishnayot.json';
import tanakhNumChap from '@hebcal/learning/tanakhNumChap.json';
import mishnehTorah from '@hebcal/learning/mishnehTorah.json';
import seferHaMitzvot from '@hebcal/learning/seferHaMitzvot.json';
import kitzurSa from '@hebcal/learning/kitzurSa.json';
import arukh from '@hebcal/learning/arukhHaShulchanYomi.json';
import amudim from '@hebcal/learning/amudim.json';
import vilnaMap from '@hebcal/learning/yerushalmiVilnaMap.json';
import shekalimMap from '@hebcal/learning/shekalimDafYomiMap.json';
import {englishNames as chofetzNames} from '@hebcal/learning/chofetzChaimBase';
import {englishNames as shemiratNames} from '@hebcal/learning/shemiratHaLashonBase';

const pkg = JSON.parse(fs.readFileSync(new URL('./node_modules/@hebcal/learning/package.json', 'file://' + process.cwd() + '/'), 'utf8'));

// Sefaria's titles where hebcal spells a tractate or book differently.
const TALMUD = {Berachot: 'Berakhot', 'Rosh Hashana': 'Rosh Hashanah', Gitin: 'Gittin', 'Baba Kamma': 'Bava Kamma',
  'Baba Metzia': 'Bava Metzia', 'Baba Batra': 'Bava Batra', Bechorot: 'Bekhorot', Arachin: 'Arakhin', Midot: 'Middot'};
const BOOKS = {Nachum: 'Nahum'};

function dateTable(fn) {
  // (leap or regular) -> "month-day" -> reading, over every date of 5780-5799.
  const out = {regular: {}, leap: {}};
  for (let year = 5780; year < 5800; year++) {
    const first = new HDate(1, months.TISHREI, year).abs();
    const next = new HDate(1, months.TISHREI, year + 1).abs();
    for (let abs = first; abs < next; abs++) {
      const hd = new HDate(abs);
      const day = hd.getDate();
      const month = hd.getMonth();
      const y = hd.getFullYear();
      const folded = day === 29 && ((month === months.KISLEV && HDate.shortKislev(y)) ||
        (month === months.CHESHVAN && !HDate.longCheshvan(y)));
      if (folded) continue; // the 29th of a short month also reads the 30th's: madrega folds it itself
      const kind = hd.isLeapYear() ? 'leap' : 'regular';
      const key = `${month}-${day}`;
      const value = JSON.stringify(fn(hd));
      if (key in out[kind] && JSON.stringify(out[kind][key]) !== value) {
        throw new Error(`${kind} ${key} differs between years`);
      }
      out[kind][key] = JSON.parse(value);
    }
  }
  return out;
}

const data = {
  _about: `Facts behind the daily study cycles, extracted from @hebcal/learning ${pkg.version} ` +
    '(BSD-2-Clause, Michael J. Radwin and contributors) by scripts/cycle_tables.mjs. Titles are Sefaria\'s. ' +
    'Months are numbered as hebcal numbers them: 1 Nisan ... 7 Tishrei ... 12 Adar (Adar I), 13 Adar II.',
  talmud_names: TALMUD,
  amud_yomi: {start: '2023-10-16', tractates: Object.entries(amudim).map(([k, v]) => [TALMUD[k] || k, v])},
  shekalim_amudim: shekalimMap,
  mishnah: Object.entries(mishnayot),
  mishnah_yomit: {start: '1947-05-20', per_day: 2},
  perek_yomi: {start: '2002-02-09'},
  tanakh: Object.entries(tanakhNumChap).map(([k, v]) => [BOOKS[k] || k, v]),
  nach_yomi: {start: '2007-11-01'},
  nine29: {start: '2014-12-21', end_of_first_cycle: '2018-04-18', second_cycle: '2018-07-15',
    last_chapter_offset: 1298, cycle_days: 1302},
  mishneh_torah: Object.entries(mishnehTorah),
  rambam: {start: '1984-04-29', cycle_days: 1017,
    first_four: [['1-21', '22-33', '34-45'], ['1-83', '84-166', '167-248'], ['1-122', '123-245', '246-365'],
      ['1:1-4:8', '5:1-9:9', '10:1-14:10']]},
  sefer_hamitzvot: {start: '1984-04-29', days: seferHaMitzvot},
  kitzur: kitzurSa,
  arukh_hashulchan: {start: '2020-05-29', sections: ['', 'Orach Chaim', "Yoreh De'ah", 'Even HaEzer', 'Choshen Mishpat'],
    days: arukh},
  yerushalmi: {
    vilna: {start: '1980-02-02', skip_yom_kippur_and_tisha_bav: true, tractates: learning.vilna.shas, pages: vilnaMap},
    schottenstein: {start: '2022-11-14', skip_yom_kippur_and_tisha_bav: false, tractates: learning.schottenstein.shas},
  },
  chofetz_chaim: {names: chofetzNames, days: dateTable((hd) => learning.chofetzChaim(hd))},
  shemirat_halashon: {names: shemiratNames, days: dateTable((hd) => learning.shemiratHaLashon(hd))},
};
fs.writeFileSync(process.argv[2], JSON.stringify(data, null, 1) + '\n');
