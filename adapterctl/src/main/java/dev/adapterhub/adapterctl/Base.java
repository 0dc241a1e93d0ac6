package dev.adapterhub.adapterctl;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command that does something: runs with the session, answers an exit code. */
abstract class Base implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run(((Adapterctl) spec.root().userObject()).session);
    }

    abstract int run(Session session) throws Exception;
}
