import type { Language } from '../../shared/domain/citizen';

/** What the flows say, in each language. `{name}` is the administration's name. */
export interface Prompts {
  readonly chooseLanguage: string;
  readonly welcome: string;
  readonly offerVerify: string;
  readonly keyDocument: string;
  readonly verified: string;
  readonly verifyWrong: string;
  readonly verifyHelp: string;
  readonly offerStatus: string;
  readonly menuIntro: string;
  readonly press: (what: string, key: string) => string;
  readonly ticketOption: string;
  readonly agentOption: string;
  readonly backOption: string;
  readonly invalid: string;
  readonly afterSelfService: string;
  readonly linkRequested: string;
  readonly ticketIs: string;
  readonly afterHours: string;
  readonly closed: string;
  readonly busy: string;
  readonly goodbye: string;
  readonly keyTicket: string;
  readonly invalidTicket: string;
  readonly notFound: string;
  readonly queueHold: string;
  readonly queueSize: string;
}

export const PROMPTS: Record<Language, Prompts> = {
  es: {
    chooseLanguage: 'Bienvenido a {name}. Para español, marque 1. For English, press 2.',
    welcome: 'Bienvenido a {name}.',
    offerVerify:
      'Para consultar sus solicitudes, primero confirme su identidad: marque 1. Para otros trámites, marque 2.',
    keyDocument: 'Marque los números de su documento de identidad, sin guiones, y luego la tecla numeral.',
    verified: 'Gracias, $.External.firstName. Su identidad está confirmada.',
    verifyWrong: 'Ese número no coincide con nuestros registros.',
    verifyHelp: 'No podemos confirmar su identidad por teléfono. Un agente le ayudará.',
    offerStatus:
      'Tiene una solicitud abierta sobre $.External.openCaseTopic. Para conocer su estado, marque 1. Para otros trámites, marque 2.',
    menuIntro: 'Escuche las opciones.',
    press: (what, key) => `Para ${what}, marque ${key}.`,
    ticketOption: 'consultar una solicitud con su número de ticket',
    agentOption: 'hablar con un agente',
    backOption: 'volver al menú anterior',
    invalid: 'Esa opción no es válida.',
    afterSelfService:
      'Para recibir el enlace por mensaje de texto, marque 1. Para hablar con un agente, marque 2. Para terminar, marque 3.',
    linkRequested: 'Le enviaremos el enlace por mensaje de texto.',
    ticketIs: 'Su número de ticket es $.Attributes.ticketSpoken. Repito: $.Attributes.ticketSpoken.',
    afterHours:
      'En este momento nuestras oficinas están cerradas. Su solicitud quedó registrada y le contactaremos el próximo día hábil.',
    closed: 'En este momento nuestras oficinas están cerradas. Por favor llame en horario de atención.',
    busy: 'En este momento no podemos atenderle. Su llamada es importante; por favor intente más tarde.',
    goodbye: 'Gracias por comunicarse con {name}. Hasta luego.',
    keyTicket: 'Marque los diez dígitos de su número de ticket y luego la tecla numeral.',
    invalidTicket: 'Ese número de ticket no es válido.',
    notFound: 'No encontramos una solicitud suya con ese número.',
    queueHold: 'Gracias por esperar. Le atenderemos en el orden de llegada.',
    queueSize: 'En este momento hay $.Metrics.Queue.Size personas en la fila.',
  },
  en: {
    chooseLanguage: 'Welcome to {name}. For English, press 2. Para español, marque 1.',
    welcome: 'Welcome to {name}.',
    offerVerify:
      'To hear about your requests, first confirm who you are: press 1. For anything else, press 2.',
    keyDocument: 'Key the numbers of your identity document, without dashes, then the hash key.',
    verified: 'Thank you, $.External.firstName. Your identity is confirmed.',
    verifyWrong: 'That number does not match our records.',
    verifyHelp: 'We cannot confirm your identity by phone. An agent will help you.',
    offerStatus:
      'You have an open request about $.External.openCaseTopic. To hear its status, press 1. For anything else, press 2.',
    menuIntro: 'Please listen to the options.',
    press: (what, key) => `For ${what}, press ${key}.`,
    ticketOption: 'the status of a request, with its ticket number',
    agentOption: 'an agent',
    backOption: 'the previous menu',
    invalid: 'That is not a valid option.',
    afterSelfService:
      'To get the link by text message, press 1. To speak to an agent, press 2. To finish, press 3.',
    linkRequested: 'We will send you the link by text message.',
    ticketIs: 'Your ticket number is $.Attributes.ticketSpoken. Again: $.Attributes.ticketSpoken.',
    afterHours:
      'Our offices are closed right now. Your request is registered and we will contact you on the next business day.',
    closed: 'Our offices are closed right now. Please call during opening hours.',
    busy: 'We cannot take your call right now. Your call matters to us; please try again later.',
    goodbye: 'Thank you for contacting {name}. Goodbye.',
    keyTicket: 'Key the ten digits of your ticket number, then the hash key.',
    invalidTicket: 'That ticket number is not valid.',
    notFound: 'We found no request of yours with that number.',
    queueHold: 'Thank you for waiting. We will answer you in the order you called.',
    queueSize: 'There are $.Metrics.Queue.Size people waiting in the queue right now.',
  },
};

/** What only the text channels say. */
export interface TextPrompts {
  readonly menu: string;
  readonly agentHint: string;
  readonly ask: string;
  readonly notUnderstood: string;
  readonly anythingElse: string;
  readonly ticketIs: string;
  /** No person can take the conversation now (the general line is closed): write again, never "call". */
  readonly closed: string;
}

export const TEXT_PROMPTS: Record<Language, TextPrompts> = {
  es: {
    menu: 'Escriba el número o el nombre del trámite:',
    agentHint: 'Para hablar con un agente, escriba 0 o "agente".',
    ask: '¿En qué trámite le ayudamos?',
    notUnderstood: 'No le entendí. Escriba el número del trámite, por ejemplo 1-2, o "agente".',
    anythingElse: '¿Le ayudamos con otro trámite? Escríbalo, o "agente" para hablar con una persona.',
    ticketIs:
      'Registramos su solicitud con el ticket $.Attributes.ticket. Guárdelo para consultar su estado.',
    closed:
      'En este momento nuestras oficinas están cerradas y no hay agentes para atenderle. Escríbanos de nuevo en horario de atención y una persona le responderá por este mismo medio.',
  },
  en: {
    menu: 'Type the number or the name of the procedure:',
    agentHint: 'To talk to an agent, type 0 or "agent".',
    ask: 'Which procedure can we help you with?',
    notUnderstood: 'Sorry, I did not get that. Type the number of the procedure, such as 1-2, or "agent".',
    anythingElse: 'Can we help with anything else? Type it, or "agent" to talk to a person.',
    ticketIs: 'We registered your request with ticket $.Attributes.ticket. Keep it to check its status.',
    closed:
      'Our offices are closed right now and no agent can answer you. Write to us again during opening hours and a person will answer you here.',
  },
};

/** What the appointment journey says, on the phone (keys) and in text (numbered replies). */
export interface AppointmentPrompts {
  readonly offer: string;
  readonly hidden: string;
  readonly taken: string;
  readonly expired: string;
  readonly none: string;
  readonly kept: string;
  /** Too many missed appointments for the procedure: a person books it. */
  readonly noShows: string;
  /** A "1" or "2" with no reminder or offer pending for the number. */
  readonly nothingPending: string;
}

export const APPOINTMENT_PROMPTS: Record<'voice' | 'text', Record<Language, AppointmentPrompts>> = {
  voice: {
    es: {
      offer:
        'Este trámite se atiende con cita en la oficina. Para pedir, cambiar o cancelar su cita, marque 1. Para seguir sin cita, marque 2.',
      hidden:
        'Ya tiene una cita para este trámite. Para cambiarla o cancelarla, le comunicamos con una persona.',
      taken: 'Esa hora se acaba de ocupar. Le leo las siguientes.',
      expired: 'Pasó el tiempo para confirmar y la hora quedó libre. Le leo las disponibles.',
      none: 'Le comunicamos con una persona para buscarle otra fecha.',
      kept: 'Su cita sigue como estaba.',
      nothingPending: 'No hay una cita pendiente de respuesta para este número.',
      noShows:
        'Como no pudo asistir a sus últimas citas de este trámite, una persona le ayudará a reservar la próxima.',
    },
    en: {
      offer:
        'This procedure is done by appointment at the office. To book, change or cancel your appointment, press 1. To go on without one, press 2.',
      hidden:
        'You already have an appointment for this procedure. To change or cancel it, we will put you through to a person.',
      taken: 'That time has just been taken. Here are the next ones.',
      expired: 'The time to confirm ran out and the place was released. Here are the free times.',
      none: 'We will put you through to a person to find another date.',
      kept: 'Your appointment stays as it was.',
      nothingPending: 'There is no appointment waiting for an answer from this number.',
      noShows:
        'As you missed your last appointments for this procedure, a person will help you book the next.',
    },
  },
  text: {
    es: {
      offer:
        'Este trámite se atiende con cita en la oficina.\n1. Pedir, cambiar o cancelar mi cita\n2. Seguir sin cita',
      hidden:
        'Ya tiene una cita para este trámite. Para cambiarla o cancelarla, le atiende una persona por este medio.',
      taken: 'Esa hora se acaba de ocupar. Estas son las siguientes.',
      expired: 'Pasó el tiempo para confirmar y la hora quedó libre. Estas son las disponibles.',
      none: 'Una persona le ayudará a buscar otra fecha.',
      kept: 'Su cita sigue como estaba.',
      nothingPending: 'No hay una cita pendiente de respuesta para este número.',
      noShows:
        'Como no pudo asistir a sus últimas citas de este trámite, una persona le ayudará a reservar la próxima.',
    },
    en: {
      offer:
        'This procedure is done by appointment at the office.\n1. Book, change or cancel my appointment\n2. Go on without one',
      hidden:
        'You already have an appointment for this procedure. To change or cancel it, a person will help you here.',
      taken: 'That time has just been taken. Here are the next ones.',
      expired: 'The time to confirm ran out and the place was released. Here are the free times.',
      none: 'A person will help you find another date.',
      kept: 'Your appointment stays as it was.',
      nothingPending:
        'There is no appointment waiting for an answer from this number. Type the number or name of the procedure.',
      noShows:
        'As you missed your last appointments for this procedure, a person will help you book the next.',
    },
  },
};

/** What the callback offer and surge mode say (voice; the surge announcement on every channel). */
export interface CallbackPrompts {
  readonly offer: string;
  readonly whichNumber: string;
  readonly keyNumber: string;
  readonly invalidNumber: string;
  readonly confirmed: string;
  readonly pending: string;
  readonly kept: string;
  readonly cancelled: string;
  readonly surge: string;
  readonly surgeLink: string;
}

export const CALLBACK_PROMPTS: Record<Language, CallbackPrompts> = {
  es: {
    offer:
      'La espera es larga. Para que le llamemos sin perder su turno, marque 1. Para esperar en línea, marque 2.',
    whichNumber: 'Para que le llamemos a este número, marque 1. Para darnos otro número, marque 2.',
    keyNumber:
      'Marque el número al que le llamamos, con el código de país si es de otro país, y luego numeral.',
    invalidNumber: 'Ese número no es válido.',
    confirmed:
      'Listo. Le llamaremos al número terminado en $.External.numberEnding cuando le llegue el turno. Ya puede colgar.',
    pending:
      'Ya tiene una llamada de vuelta pendiente. Para mantenerla, marque 1. Para cancelarla y esperar en línea, marque 2.',
    kept: 'Mantenemos su llamada de vuelta; le llamaremos en su turno.',
    cancelled: 'Cancelamos su llamada de vuelta.',
    surge: 'Estamos recibiendo muchas llamadas. Gracias por su paciencia.',
    surgeLink:
      'Le enviamos la respuesta y el enlace por mensaje de texto. Si aún necesita ayuda, escríbanos o llame más tarde.',
  },
  en: {
    offer:
      'The wait is long. To be called back without losing your place, press 1. To wait on the line, press 2.',
    whichNumber: 'To be called back on this number, press 1. To give us another number, press 2.',
    keyNumber: 'Key the number to call you on, with the country code if it is abroad, then the hash key.',
    invalidNumber: 'That number is not valid.',
    confirmed:
      'Done. We will call you on the number ending $.External.numberEnding when your turn comes. You may hang up now.',
    pending:
      'You already have a callback pending. To keep it, press 1. To cancel it and wait on the line, press 2.',
    kept: 'We keep your callback; we will call you when your turn comes.',
    cancelled: 'Your callback is cancelled.',
    surge: 'We are receiving a very high number of calls. Thank you for your patience.',
    surgeLink:
      'We have sent you the answer and the link by text message. If you still need help, write to us or call later.',
  },
};

/** What a proactive message says when its text cannot be read (gone, or the function failed). */
export const OUTBOUND_PROMPTS: Record<Language, { readonly unread: string }> = {
  es: {
    unread:
      'Teníamos un mensaje para usted sobre su trámite $.Attributes.ticket, pero no pudimos mostrarlo. Escríbanos por este medio y una persona le responderá.',
  },
  en: {
    unread:
      'We had a message for you about your request $.Attributes.ticket but could not show it. Write to us here and a person will answer you.',
  },
};

/** What the text flow answers to STOP / BAJA and START / ALTA. */
export interface ConsentPrompts {
  readonly stopped: string;
  readonly started: string;
  /** Web chat: no number, so no proactive messages to stop or start. */
  readonly noNumber: string;
  /** The change could not be recorded: a person takes it. */
  readonly failed: string;
}

export const CONSENT_PROMPTS: Record<Language, ConsentPrompts> = {
  es: {
    stopped:
      'Listo: no le enviaremos más avisos a este número. Sus trámites siguen abiertos y puede consultarlos cuando quiera. Para volver a recibir avisos, escriba ALTA.',
    started:
      'Listo: volverá a recibir avisos sobre sus trámites y citas en este número. Para dejarlos, escriba BAJA.',
    noNumber:
      'Este chat no envía avisos a ningún número. Para dejar de recibir mensajes por SMS o WhatsApp, escriba BAJA desde ese número.',
    failed: 'No pudimos registrar su pedido en este momento. Le pasamos con una persona.',
  },
  en: {
    stopped:
      'Done: we will send no more notices to this number. Your requests stay open and you can check them at any time. To receive notices again, type START.',
    started:
      'Done: you will receive notices about your requests and appointments on this number again. To stop them, type STOP.',
    noNumber:
      'This chat sends no notices to any number. To stop messages by SMS or WhatsApp, type STOP from that number.',
    failed: 'We could not record your request right now. We are passing you to a person.',
  },
};
