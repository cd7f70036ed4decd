import type { Language } from '../../domain/citizen';
import type { SubjectExport, SubjectKind } from '../../domain/subject-access';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const WORDS: Record<
  Language,
  {
    title: string;
    intro: string;
    produced: string;
    by: string;
    reason: string;
    overview: string;
    kind: string;
    count: string;
    field: string;
    value: string;
    where: string;
    kinds: Record<SubjectKind, string>;
  }
> = {
  es: {
    title: 'Datos personales que conserva la administración',
    intro:
      'Este documento reúne todo lo que la administración conserva sobre la persona, tal como está guardado: cada registro con todos sus campos.',
    produced: 'Generado el',
    by: 'por',
    reason: 'Motivo',
    overview: 'Resumen',
    kind: 'Tipo de registro',
    count: 'Cantidad',
    field: 'Campo',
    value: 'Valor',
    where: 'Registro',
    kinds: {
      profile: 'Ficha de la persona',
      identity: 'Identificadores (teléfono, correo, documento)',
      contact: 'Contactos (llamadas y mensajes)',
      merge: 'Fusiones de fichas duplicadas',
      link: 'Identificadores añadidos',
      case: 'Trámites',
      audit: 'Historial de los trámites',
      'case-contact': 'Contactos de cada trámite',
      note: 'Notas del personal',
      'open-topic': 'Trámites abiertos por tema',
      intake: 'Registros de entrada',
      booking: 'Citas',
      'booking-guard': 'Cita activa por trámite',
      'booking-code': 'Códigos de cita',
      waiter: 'Listas de espera',
      rectification: 'Rectificaciones por comunicar',
      document: 'Documentos aportados',
      payment: 'Pagos de tasas',
      'sign-in': 'Accesos a su página (códigos pedidos, bloqueos)',
      message: 'Textos de mensajes enviados (conservados 48 horas)',
      consent: 'Preferencia de avisos (ALTA / BAJA)',
      callback: 'Devoluciones de llamada',
      verification: 'Verificaciones de identidad',
      'message-count': 'Cuenta diaria de mensajes',
      sent: 'Mensajes enviados',
      task: 'Tareas de seguimiento',
      batch: 'Envíos a la dependencia (back office)',
      read: 'Consultas del personal',
      privacy: 'Registro de accesos a estos datos',
    },
  },
  en: {
    title: 'Personal data held by the administration',
    intro:
      'This document gathers everything the administration holds about the person, as it is stored: every record with all of its fields.',
    produced: 'Produced on',
    by: 'by',
    reason: 'Reason',
    overview: 'Overview',
    kind: 'Kind of record',
    count: 'Count',
    field: 'Field',
    value: 'Value',
    where: 'Record',
    kinds: {
      profile: 'Profile',
      identity: 'Identifiers (phone, e-mail, document)',
      contact: 'Contacts (calls and messages)',
      merge: 'Merges of duplicate profiles',
      link: 'Identifiers added',
      case: 'Cases',
      audit: 'Case history',
      'case-contact': "Each case's contacts",
      note: 'Staff notes',
      'open-topic': 'Open cases by topic',
      intake: 'Intake records',
      booking: 'Appointments',
      'booking-guard': 'Active appointment per procedure',
      'booking-code': 'Appointment codes',
      waiter: 'Waitlists',
      rectification: 'Corrections still to be sent',
      document: 'Documents provided',
      payment: 'Fee payments',
      'sign-in': 'Sign-ins to their page (codes asked, locks)',
      message: 'Texts of messages sent (kept 48 hours)',
      consent: 'Notice preference (START / STOP)',
      callback: 'Callbacks',
      verification: 'Identity checks',
      'message-count': 'Daily message count',
      sent: 'Messages sent',
      task: 'Follow-up tasks',
      batch: 'Batches sent to the agency (back office)',
      read: 'Reads by staff',
      privacy: 'Log of access to this data',
    },
  },
};

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The export as a document a person can read and keep: one section per kind of record, each record a table of
 * its fields (nothing left out: the JSON and the document hold the same records). Plain HTML with its own
 * styles, readable offline and printable.
 */
export function subjectDocument(data: SubjectExport, language: Language): string {
  const w = WORDS[language];
  const kinds = Object.keys(data.counts) as SubjectKind[];
  const when = new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(data.producedAt));
  const sections = kinds.map((kind) => {
    const records = data.records.filter((r) => r.kind === kind);
    const tables = records.map((r, i) => {
      const rows = Object.entries(r.data)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([field, value]) =>
            `<tr><th scope="row">${escape(field)}</th><td>${escape(shown(value))}</td></tr>`,
        )
        .join('');
      return `<table><caption>${escape(w.where)} ${i + 1} · ${escape(r.store)} · ${escape(r.key.pk)} / ${escape(r.key.sk)}</caption><thead><tr><th scope="col">${w.field}</th><th scope="col">${w.value}</th></tr></thead><tbody>${rows}</tbody></table>`;
    });
    return `<section aria-labelledby="k-${kind}"><h2 id="k-${kind}">${escape(w.kinds[kind])} (${records.length})</h2>${tables.join('')}</section>`;
  });
  const overview = kinds
    .map(
      (k) =>
        `<tr><th scope="row"><a href="#k-${k}">${escape(w.kinds[k])}</a></th><td>${data.counts[k]}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(w.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}caption{text-align:left;font-weight:600;padding:.25rem 0}th,td{border:1px solid #888;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}th[scope=row]{white-space:nowrap;width:1%}</style>
</head><body><main>
<h1>${escape(w.title)}</h1>
<p>${escape(w.intro)}</p>
<p>${w.produced} ${escape(when)} (UTC) ${w.by} ${escape(data.producedBy.id)}. ${w.reason}: ${escape(data.reason)}</p>
<h2>${w.overview}</h2>
<table><thead><tr><th scope="col">${w.kind}</th><th scope="col">${w.count}</th></tr></thead><tbody>${overview}</tbody></table>
${sections.join('\n')}
</main></body></html>
`;
}
