package dev.berth.client.it;

import dev.berth.client.Exchange;
import dev.berth.client.ExchangeListener;
import dev.berth.client.Token;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link ExchangeListener} that keeps everything it is told, for assertions. */
final class Recorder implements ExchangeListener {
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    final List<Token> tokens = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    public void exchange(Exchange exchange) {
        exchanges.add(exchange);
    }

    @Override
    public void token(Token token) {
        tokens.add(token);
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    /** Exchanges with the token endpoint ({@code /token}). */
    List<Exchange> tokenRequests() {
        return exchanges.stream().filter(e -> e.uri().getPath().equals("/token")).toList();
    }

    List<Exchange> withStatus(int status) {
        return exchanges.stream().filter(e -> e.status() == status).toList();
    }

    void clear() {
        exchanges.clear();
        tokens.clear();
        warnings.clear();
    }
}
