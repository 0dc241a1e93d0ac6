package dev.adapterhub.registry.error;

import java.sql.SQLException;

/** The database could not be reached (down, restarting, or refusing connections); worth a retry. */
public class DatabaseUnavailableException extends RegistryException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code failure} was caused by a lost or refused database connection: SQLSTATE class 08 (connection
     * exception) or 57P01-57P03 (the server shutting down or not yet accepting connections).
     */
    public static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }
}
