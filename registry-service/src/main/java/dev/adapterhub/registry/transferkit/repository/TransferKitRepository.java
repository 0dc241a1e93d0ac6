package dev.adapterhub.registry.transferkit.repository;

import dev.adapterhub.registry.transferkit.entity.TransferKit;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class TransferKitRepository implements PanacheRepositoryBase<TransferKit, UUID> {
}
