import { botDefinition, matchIntent } from '../../infra/flows/lex-bot';
import { loadConfig } from '../../shared/config/load';

const { deployment, catalogue } = loadConfig('config/city-hall');
const [es, en] = botDefinition(deployment.languages, catalogue.onLines);

/** What citizens write, per procedure, in both languages — and where it must land. */
const PHRASES: Record<string, { es: string[]; en: string[] }> = {
  'property-tax': {
    es: ['¿Cuánto debo de impuesto de inmueble?', 'quiero pagar el impuesto de mi casa', 'impuesto predial'],
    en: ['how much property tax do I owe', 'I want to pay my house tax', 'real estate tax'],
  },
  'tax-clearance': {
    es: ['necesito un paz y salvo', 'certificado de paz y salvo para vender', 'constancia de no deuda'],
    en: ['I need a tax clearance', 'clearance certificate please', 'certificate of no debt'],
  },
  'payment-plan': {
    es: ['no puedo pagar todo, quiero un arreglo de pago', 'pagar en cuotas mi deuda', 'plan de pagos'],
    en: ['can I pay in instalments', 'I need a payment plan for my debt', 'I cannot pay it all'],
  },
  'plate-renewal': {
    es: ['necesito mi PLACA', 'quiero renovar la placa del carro', 'sacar el revisado vehicular'],
    en: ['renew my plate', 'annual plate renewal', 'vehicle inspection'],
  },
  'vehicle-transfer': {
    es: ['vendí mi carro y quiero hacer el traspaso', 'compré un carro usado', 'cambio de dueño del auto'],
    en: ['I sold my car', 'I bought a car, how do I transfer it', 'change of owner of a vehicle'],
  },
  'lost-plate': {
    es: ['me robaron la placa', 'perdí la placa de mi carro', 'se me perdió la placa', 'placa robada'],
    en: ['my plate was stolen', 'I lost my plate', 'someone stole my licence plate', 'lost plate'],
  },
  'birth-certificate': {
    es: ['necesito una partida de nacimiento', 'acta de nacimiento de mi hijo', 'certificado de nacimiento'],
    en: ['birth certificate for my son', 'I need my birth record', 'where I was born'],
  },
  'marriage-certificate': {
    es: ['certificado de matrimonio', 'me casé y necesito el acta de matrimonio', 'acta de la boda'],
    en: ['marriage certificate', 'we got married last year', 'copy of my marriage record'],
  },
  'record-correction': {
    es: ['mi nombre está mal escrito, quiero corregir mis datos', 'hay un error en mi acta', 'corrección'],
    en: ['my name is wrong on the record', 'fix an error in my data', 'correct my record'],
  },
  'office-hours': {
    es: ['¿a qué hora abren?', '¿dónde queda la alcaldía?', 'horario de atención'],
    en: ['what time do you open?', 'where are you?', 'opening hours'],
  },
  complaint: {
    es: ['quiero poner una queja', 'muy mal servicio en la ventanilla', 'quiero quejarme de un funcionario'],
    en: ['I want to make a complaint', 'bad service at the office', 'I wish to complain'],
  },
};

describe('text self-service understands what citizens write', () => {
  it('has phrases for every procedure of the catalogue', () => {
    expect(Object.keys(PHRASES).sort()).toEqual(catalogue.onLines.map((e) => e.id).sort());
  });

  const cases = Object.entries(PHRASES).flatMap(([topicId, { es: spanish, en: english }]) => [
    ...spanish.map((said) => ['es', said, topicId] as const),
    ...english.map((said) => ['en', said, topicId] as const),
  ]);
  it.each(cases)('%s: "%s" → %s', (language, said, topicId) => {
    expect(matchIntent(language === 'es' ? es! : en!, said)?.topicId).toBe(topicId);
  });

  it('prefers the most specific procedure when a message names several', () => {
    // "placa" alone is plate renewal; a stolen plate is the more specific entry.
    expect(matchIntent(es!, 'placa')?.topicId).toBe('plate-renewal');
    expect(matchIntent(es!, 'me robaron la placa')?.topicId).toBe('lost-plate');
    expect(matchIntent(en!, 'plate')?.topicId).toBe('plate-renewal');
    expect(matchIntent(en!, 'plate stolen')?.topicId).toBe('lost-plate');
    // A request for a person still wins when it is most of the message.
    expect(matchIntent(es!, 'quiero hablar con un agente')?.name).toBe('TalkToAgent');
  });

  it('keeps every synonym: none is shadowed by another entry', () => {
    for (const [locale, language] of [
      [es!, 'es'],
      [en!, 'en'],
    ] as const)
      for (const entry of catalogue.onLines) {
        const intent = locale.intents.find((i) => i.topicId === entry.id)!;
        const own = intent.utterances.map((u) => u.toLowerCase());
        for (const synonym of entry.synonyms[language]) expect(own).toContain(synonym.toLowerCase());
      }
  });
});
