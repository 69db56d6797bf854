/*
 * The Bulwark web page: plain JavaScript, no framework, no build step; served by the ingress.
 *
 * Stable element ids (each also has data-testid = its id), for people and for the e2e test:
 *   #customer        input   customer name, the token's subject (letters, digits, _ and -)
 *   #get-token       button  POST /api/dev/tokens {role: 'customer', sub} (local stack only)
 *   #token-status    text    who the page acts for
 *   #sku             input   the SKU to order
 *   #quantity        input   how many
 *   #card            input   card number (4000000000000002 always declines)
 *   #place-order     button  POST /api/orders with Idempotency-Key = crypto.randomUUID();
 *                            disabled until there is a token
 *   #order-id        text    id of the order being watched
 *   #order-status    text    its current status: PENDING, AWAITING_PAYMENT, CONFIRMED, REJECTED, CANCELLED
 *                            (also as data-status); updated live from GET /api/orders/{id}/events
 *   #order-reason    text    why it was rejected, "REASON: detail" (e.g. "OUT_OF_STOCK: ..."); empty otherwise
 *   #order-history   list    every status change, oldest first
 *   #orders-list     list    my orders, newest first (GET /api/orders): one <li data-order-id data-status> each
 *   #refresh-orders  button  reloads #orders-list
 *   #error           text    the last error as "CODE: message"; empty when the last action succeeded
 */
'use strict';

(function () {
  const FINAL = ['CONFIRMED', 'REJECTED', 'CANCELLED'];
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem('bulwark.token');
  let subject = sessionStorage.getItem('bulwark.sub');
  let stream = null;

  function showError(text) {
    $('error').textContent = text || '';
  }

  /** fetch + the platform's error shape: resolves to the JSON body, rejects with "CODE: message". */
  async function api(method, path, body, headers) {
    const init = { method, headers: Object.assign({}, headers) };
    if (token) init.headers.authorization = 'Bearer ' + token;
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const error = data && data.error ? data.error : { code: 'HTTP_' + res.status, message: res.statusText };
      const fields = error.details && error.details.fields ? ' (' + error.details.fields.map((f) => f.path).join(', ') + ')' : '';
      throw new Error(error.code + ': ' + error.message + fields);
    }
    return data;
  }

  /** A v4 UUID; crypto.randomUUID exists only in secure contexts (https or localhost). */
  function newIdempotencyKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function signedIn() {
    $('token-status').textContent = token ? 'Signed in as ' + subject + ' (development token).' : 'No token yet.';
    $('place-order').disabled = !token;
    $('refresh-orders').disabled = !token;
  }

  function reasonText(change) {
    if (!change.reason && !change.detail) return '';
    return [change.reason, change.detail].filter(Boolean).join(': ');
  }

  function showStatus(change) {
    $('order-status').textContent = change.status;
    $('order-status').dataset.status = change.status;
    if (change.status === 'REJECTED' || change.status === 'CANCELLED') $('order-reason').textContent = reasonText(change);
    const item = document.createElement('li');
    item.textContent = change.status + ' at ' + change.at + (reasonText(change) ? ' (' + reasonText(change) + ')' : '');
    $('order-history').appendChild(item);
  }

  function watch(orderId) {
    if (stream) stream.close();
    $('order-id').textContent = orderId;
    $('order-status').textContent = 'PENDING';
    $('order-status').dataset.status = 'PENDING';
    $('order-reason').textContent = '';
    $('order-history').replaceChildren();
    // EventSource cannot send an Authorization header; this route alone accepts ?access_token=.
    const url = '/api/orders/' + encodeURIComponent(orderId) + '/events?access_token=' + encodeURIComponent(token);
    const source = new EventSource(url);
    stream = source;
    source.addEventListener('status', (event) => {
      const change = JSON.parse(event.data);
      showStatus(change);
      if (FINAL.includes(change.status)) {
        // The server ends the stream after a final status; closing here stops EventSource from reconnecting.
        source.close();
        refreshOrders();
      }
    });
    source.onerror = () => {
      // While CONNECTING the browser retries on its own (Last-Event-ID resumes the history).
      if (source.readyState === EventSource.CLOSED && stream === source) showError('live updates stopped; refresh the list');
    };
  }

  async function refreshOrders() {
    if (!token) return;
    try {
      const page = await api('GET', '/api/orders?limit=20');
      const items = page.items.map((order) => {
        const li = document.createElement('li');
        li.dataset.orderId = order.orderId;
        li.dataset.status = order.status;
        const lines = order.lines.map((l) => l.quantity + ' x ' + l.sku).join(', ');
        const why = order.reason ? ' (' + order.reason + (order.detail ? ': ' + order.detail : '') + ')' : '';
        li.textContent = order.orderId.slice(0, 8) + '  ' + order.status + '  ' + lines + why;
        li.title = order.orderId + ', placed ' + order.placedAt;
        li.addEventListener('click', () => watch(order.orderId));
        return li;
      });
      $('orders-list').replaceChildren(...items);
    } catch (err) {
      showError(err.message);
    }
  }

  $('token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    try {
      token = null;
      const issued = await api('POST', '/api/dev/tokens', { role: 'customer', sub: $('customer').value.trim() });
      token = issued.token;
      subject = issued.sub;
      sessionStorage.setItem('bulwark.token', token);
      sessionStorage.setItem('bulwark.sub', subject);
      signedIn();
      await refreshOrders();
    } catch (err) {
      signedIn();
      showError(err.message);
    }
  });

  $('order-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const button = $('place-order');
    button.disabled = true;
    try {
      const body = {
        lines: [{ sku: $('sku').value.trim(), quantity: Number($('quantity').value) }],
        payment: { cardNumber: $('card').value.replace(/\s+/g, '') },
      };
      const accepted = await api('POST', '/api/orders', body, { 'idempotency-key': newIdempotencyKey() });
      watch(accepted.orderId);
      await refreshOrders();
    } catch (err) {
      showError(err.message);
    } finally {
      button.disabled = !token;
    }
  });

  $('refresh-orders').addEventListener('click', refreshOrders);

  signedIn();
  refreshOrders();
})();
