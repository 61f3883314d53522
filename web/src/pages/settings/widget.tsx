/** The website chat: the snippet to paste, the sites allowed to show it, its colour and greeting, and the key. */
import { useState } from 'preact/hooks';
import { api, data } from '../../api/client';
import { t } from '../../i18n';
import { useBusiness } from '../../ui/business';
import { ActionButton, Busy, ErrorBox, Loading, Notice, onSubmit, TextInput } from '../../ui/forms';
import { useAction } from '../../ui/hooks';
import { ListEditor } from '../../ui/list-editor';
import { patchBusiness, useBusinessRecord, type Business } from './business';

export const snippetOf = (publishableKey: string) =>
  `<script src="${location.origin}/widget.js" data-key="${publishableKey}" async></script>`;

/**
 * The business's own widget in a frame (/widget-preview, served by the API under its own strict policy). It runs on
 * this app's origin, so it answers only once that origin is one of the allowed websites; the owner can add it here.
 */
const LivePreview = ({ business, onAllowed }: { business: Business; onAllowed: (origin: string) => void }) => {
  const allow = useAction();
  const origin = location.origin;
  const isAllowed = business.allowedOrigins.some((o) => o.replace(/\/+$/, '') === origin);
  return (
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t.widget.livePreview}</h2>
      {isAllowed ? (
        <p class="hint">{t.widget.livePreviewHint(origin)}</p>
      ) : (
        <div class="alert info" data-testid="preview-not-allowed">
          <p>{t.widget.previewNotAllowed(origin)}</p>
          <ErrorBox error={allow.error} />
          <ActionButton
            action={allow}
            run={async () => {
              await patchBusiness(business.id, { allowedOrigins: [...business.allowedOrigins, origin] });
              onAllowed(origin);
            }}
          >
            {t.widget.allowPreview}
          </ActionButton>
        </div>
      )}
      <iframe
        key={`${business.publishableKey}:${isAllowed}:${business.widgetColor}:${business.widgetGreeting}`}
        class="widget-preview"
        title={t.widget.livePreviewFrame}
        src={`/widget-preview?key=${encodeURIComponent(business.publishableKey)}`}
        loading="lazy"
      />
    </section>
  );
};

const WidgetForm = ({ business, onSaved }: { business: Business; onSaved: () => void }) => {
  const [origins, setOrigins] = useState(business.allowedOrigins);
  const [color, setColor] = useState(business.widgetColor);
  const [greeting, setGreeting] = useState(business.widgetGreeting);
  const save = useAction();
  const rotate = useAction();
  const copy = useAction();
  const snippet = snippetOf(business.publishableKey);
  return (
    <>
      <section class="card" aria-labelledby="snippet-title">
        <h2 id="snippet-title">{t.widget.snippet}</h2>
        <pre class="snippet" data-testid="snippet">
          <code>{snippet}</code>
        </pre>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void copy.run(async () => {
              await navigator.clipboard.writeText(snippet);
              return t.copied;
            })
          }
        >
          {t.copy}
        </button>
        {copy.done && <span role="status"> {copy.done}</span>}
      </section>
      <form
        class="card"
        onSubmit={onSubmit(
          () =>
            void save.run(async () => {
              await patchBusiness(business.id, { allowedOrigins: origins, widgetColor: color, widgetGreeting: greeting });
              onSaved();
              return t.saved;
            }),
        )}
      >
        <ErrorBox error={save.error} />
        {save.done && <Notice kind="success">{save.done}</Notice>}
        <ListEditor
          legend={t.widget.origins}
          hint={t.widget.originsHint}
          label={t.widget.originLabel}
          addLabel={t.widget.addOrigin}
          removeLabel={t.widget.removeOrigin}
          type="url"
          placeholder="https://www.example.com"
          items={origins}
          onChange={setOrigins}
        />
        <TextInput label={t.widget.color} type="color" value={color} onValue={setColor} />
        <TextInput label={t.widget.greeting} value={greeting} onValue={setGreeting} maxLength={300} />
        <Busy busy={save.busy} label={t.save} />
      </form>
      <LivePreview
        business={business}
        onAllowed={(origin) => {
          // The form below keeps its own copy of the list: add the origin there too, so saving it later keeps it.
          setOrigins((list) => (list.includes(origin) ? list : [...list, origin]));
          onSaved();
        }}
      />
      <section class="card" aria-labelledby="key-title">
        <h2 id="key-title">{t.widget.key}</h2>
        <p>
          <code>{business.publishableKey}</code>
        </p>
        <ErrorBox error={rotate.error} />
        <ActionButton
          action={rotate}
          confirmText={t.widget.rotateConfirm}
          run={async () => {
            await data(
              api.POST('/api/v1/businesses/{businessId}/publishable-key/rotate', { params: { path: { businessId: business.id } } }),
            );
            onSaved();
          }}
        >
          {t.widget.rotate}
        </ActionButton>
      </section>
    </>
  );
};

export const WidgetSection = () => {
  const { businessId } = useBusiness();
  const business = useBusinessRecord(businessId);
  if (business.error) return <ErrorBox error={business.error} />;
  if (!business.value) return <Loading />;
  return (
    <WidgetForm key={`${businessId}:${business.value.publishableKey}`} business={business.value} onSaved={() => void business.reload()} />
  );
};
